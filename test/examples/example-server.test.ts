import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExampleServer, startExampleServer } from './server-process.js';

const meteo = '5b0c6f52-3f0e-4d7e-9c55-2a8f4f1d9a01';
const chinook = '2f6a9b3e-8c1d-4e5f-a0b7-c3d2e1f09876';
const json = { 'content-type': 'application/json' };

describe('examples/server.ts as a child process', () => {
  let server: ExampleServer;
  const api = (path: string, init?: RequestInit) =>
    fetch(`${server.url}/beaker/integrations/demo${path}`, init);
  const post = (path: string, body: unknown) =>
    api(path, { method: 'POST', headers: json, body: JSON.stringify(body) });

  beforeAll(async () => {
    server = await startExampleServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('logs its address, data folder and integration counts at start', () => {
    expect(server.output()).toContain(`"data_dir":"${server.dataDir}"`);
    expect(server.output()).toContain(
      '"integrations_by_provider":{"filesystem:examples":4,"adhoc:scratch":0}',
    );
  });

  it('R1 lists the example integrations and both providers', async () => {
    const response = await api('');
    const body = await response.json();

    expect(response.status).toBe(200);
    expect(
      Object.values(body.integrations)
        .map((item) => (item as { slug: string }).slug)
        .sort(),
    ).toEqual([
      'chinook_music_store',
      'noaa_ghcn_daily',
      'open_meteo_forecast',
      'usgs_earthquake_catalog',
    ]);
    expect(body.providers.map((provider: { id: string }) => provider.id)).toEqual([
      'filesystem:examples',
      'adhoc:scratch',
    ]);
  });

  it('R2 returns an integration with file content read from its attachment', async () => {
    const response = await api(`/${meteo}`);
    const integration = await response.json();
    const attachment = await readFile(
      join(server.dataDir, 'specifications/open_meteo_forecast/attachments/documentation.md'),
      'utf8',
    );

    expect(response.status).toBe(200);
    expect(integration).toMatchObject({
      uuid: meteo,
      name: 'Open-Meteo Forecast',
      provider: 'filesystem:examples',
      datatype: 'api',
      last_updated: '2024-11-18T09:30:00',
    });
    expect(integration.resources.documentation.content).toBe(attachment);
  });

  it('R3 and R4 read resources by type and id', async () => {
    const examples = await (await api(`/${chinook}/example`)).json();
    const schema = await api(`/${chinook}/file/schema`);

    expect(
      examples.resources.map((resource: { resource_id: string }) => resource.resource_id).sort(),
    ).toEqual(['customers-by-country', 'top-selling-genres']);
    expect(schema.status).toBe(200);
    expect((await schema.json()).content).toContain('CREATE TABLE Artist');
  });

  it('R7, R8 and R9 add, change and remove an example on disk', async () => {
    const created = await post(`/${chinook}/new`, {
      resource_type: 'example',
      resource_id: 'longest-tracks',
      query: 'The ten longest tracks',
      code: 'SELECT Name, Milliseconds FROM Track ORDER BY Milliseconds DESC LIMIT 10;',
    });
    expect(created.status).toBe(201);
    const yamlAfterAdd = await readFile(
      join(server.dataDir, 'specifications/chinook_music_store/api.yaml'),
      'utf8',
    );
    expect(yamlAfterAdd).toContain('longest-tracks');

    const updated = await post(`/${chinook}/new/longest-tracks`, {
      notes: 'Milliseconds, not seconds.',
    });
    expect(updated.status).toBe(200);
    expect((await updated.json()).notes).toBe('Milliseconds, not seconds.');

    const removed = await api(`/${chinook}/any/longest-tracks`, {
      method: 'DELETE',
      headers: json,
    });
    expect(removed.status).toBe(200);
    expect(await removed.json()).toEqual({});
    expect((await api(`/${chinook}/all/longest-tracks`)).status).toBe(404);
  });

  it('R5, R6 and R10 create, change and remove an integration on the scratch provider', async () => {
    const created = await post('/', { provider: 'adhoc:scratch', name: 'Sea surface temperature' });
    const integration = await created.json();
    expect(created.status).toBe(201);
    expect(integration.slug).toBe('sea_surface_temperature');

    const updated = await post(`/${integration.uuid}`, { datatype: 'dataset' });
    expect(updated.status).toBe(200);
    expect((await updated.json()).datatype).toBe('dataset');

    const removed = await api(`/${integration.uuid}`, { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(await removed.json()).toEqual({});
  });

  it('answers errors as problem documents', async () => {
    const missing = await api('/nope');
    const badJson = await api(`/${meteo}`, { method: 'POST', headers: json, body: '{' });

    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect((await missing.json()).code).toBe('integration_not_found');
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).code).toBe('invalid_json');
  });

  it('serves the page and logs each request', async () => {
    const page = await fetch(`${server.url}/`);

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<script type="module" src="/app.js"></script>');
    expect(server.output()).toMatch(/INFO GET \/ 200 \d+\.\d ms/);
    expect(server.output()).toMatch(/INFO GET \/beaker\/integrations\/demo\/nope 404 \d+\.\d ms/);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const code = await server.stop('SIGTERM');

    expect(code).toBe(0);
    expect(server.output()).toContain('Received SIGTERM; closing the server');
    expect(server.output()).toContain('Server stopped');
  });
});
