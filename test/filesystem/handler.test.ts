import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntegrationContext } from '../../src/core/index.js';
import { createFileSystemProvider } from '../../src/server/filesystem/index.js';
import { createIntegrationsHandler, type IntegrationsHandler } from '../../src/server/index.js';
import {
  BEAKER_UUID,
  BEAKER_YAML,
  collectingLogger,
  createRoot,
  type TemporaryRoot,
} from './fixtures/roots.js';

const BASE = 'http://localhost/beaker/integrations/s1';

function post(body: unknown): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

describe('FileSystemProvider behind the handler', () => {
  let local: TemporaryRoot;
  let shared: TemporaryRoot;
  let handler: IntegrationsHandler;
  let log: ReturnType<typeof collectingLogger>;

  // biome-ignore lint/suspicious/noExplicitAny: the assertions check the shape of each body.
  async function send(path: string, init?: RequestInit): Promise<{ status: number; body: any }> {
    const response = await handler(new Request(`${BASE}${path}`, init));

    return { status: response.status, body: await response.json() };
  }

  beforeEach(async () => {
    local = await createRoot();
    shared = await createRoot();
    log = collectingLogger();
    await shared.writeFolder('open_meteo', BEAKER_YAML, { 'documentation.md': 'shared docs' });
    const context = new IntegrationContext({
      providers: [
        createFileSystemProvider({
          root: local.root,
          slug: 'local',
          displayName: 'Local',
          logger: log.logger,
        }),
        createFileSystemProvider({
          root: shared.root,
          slug: 'shared',
          readOnly: true,
          logger: log.logger,
        }),
      ],
    });
    handler = createIntegrationsHandler({ context, logger: log.logger });
  });
  afterEach(async () => {
    expect(log.errors).toEqual([]);
    expect(log.warnings).toEqual([]);
    await local.remove();
    await shared.remove();
  });

  it('lists integrations and providers (R1)', async () => {
    const { status, body } = await send('');

    expect(status).toBe(200);
    expect(Object.keys(body.integrations)).toEqual([BEAKER_UUID]);
    expect(body.integrations[BEAKER_UUID].provider).toBe('filesystem:shared');
    expect(body.integrations[BEAKER_UUID].resources.docs.content).toBeUndefined();
    expect(body.providers).toEqual([
      {
        id: 'filesystem:local',
        display_name: 'Local',
        provider_type: 'filesystem',
        slug: 'local',
        mutable: true,
      },
      {
        id: 'filesystem:shared',
        display_name: 'shared',
        provider_type: 'filesystem',
        slug: 'shared',
        mutable: false,
      },
    ]);
  });

  it('creates and reads a file resource (R5, R7, R4)', async () => {
    const created = await send(
      '',
      post({ provider: 'filesystem:local', uuid: 'w1', name: 'Weather API' }),
    );
    const added = await send(
      '/w1/new',
      post({
        resource_type: 'file',
        resource_id: 'guide',
        name: 'Guide',
        filepath: 'guide.md',
        content: '# Guide',
      }),
    );
    const read = await send('/w1/file/guide');

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      uuid: 'w1',
      slug: 'weather_api',
      provider: 'filesystem:local',
    });
    expect(added.status).toBe(201);
    expect(read).toEqual({
      status: 200,
      body: {
        resource_type: 'file',
        resource_id: 'guide',
        integration: 'w1',
        name: 'Guide',
        filepath: 'guide.md',
        content: '# Guide',
      },
    });
    expect(await local.readAttachment('weather_api', 'guide.md')).toBe('# Guide');
  });

  it('answers 422 naming `slug` for a traversal in a create (R5)', async () => {
    const { status, body } = await send(
      '',
      post({ provider: 'filesystem:local', name: 'X', slug: '../../etc' }),
    );

    expect(status).toBe(422);
    expect(body.code).toBe('validation_failed');
    expect(body.errors).toEqual([
      { path: 'slug', message: expect.stringContaining('path separator') },
    ]);
  });

  it('answers 422 naming `filepath` for a traversal in a resource (R7)', async () => {
    await send('', post({ provider: 'filesystem:local', uuid: 'w1', name: 'Weather API' }));

    const { status, body } = await send(
      '/w1/new',
      post({ resource_type: 'file', name: 'x', filepath: '../../../x' }),
    );

    expect(status).toBe(422);
    expect(body.code).toBe('validation_failed');
    expect(body.errors).toEqual([{ path: 'filepath', message: expect.any(String) }]);
  });

  it('answers 422 naming `resource_id` for an id with an encoded separator (R7)', async () => {
    await send('', post({ provider: 'filesystem:local', uuid: 'w1', name: 'Weather API' }));

    const { status, body } = await send(
      '/w1/new',
      post({ resource_type: 'example', resource_id: '..\\..\\x', query: 'q', code: 'c' }),
    );

    expect(status).toBe(422);
    expect(body.errors).toEqual([{ path: 'resource_id', message: expect.any(String) }]);
  });

  it('answers 404 for traversal-like ids in the path (R2, R4)', async () => {
    // URL parsing resolves a bare `..` segment, escaped or not, before the router matches.
    const parent = await send('/%2E%2E%2F');
    const nested = await send('/..%2F..%2Fetc%2Fpasswd');
    const resource = await send(`/${BEAKER_UUID}/all/..%2Fapi.yaml`);

    expect([parent.status, parent.body.code]).toEqual([404, 'integration_not_found']);
    expect([nested.status, nested.body.code]).toEqual([404, 'integration_not_found']);
    expect([resource.status, resource.body.code]).toEqual([404, 'resource_not_found']);
  });

  it('answers 405 `provider_read_only` for writes to the read-only provider', async () => {
    const create = await send('', post({ provider: 'filesystem:shared', name: 'X' }));
    const add = await send(
      `/${BEAKER_UUID}/new`,
      post({ resource_type: 'example', query: 'q', code: 'c' }),
    );
    const update = await send(`/${BEAKER_UUID}`, post({ name: 'Renamed' }));
    const remove = await handler(new Request(`${BASE}/${BEAKER_UUID}`, { method: 'DELETE' }));

    for (const { status, body } of [create, add, update]) {
      expect(status).toBe(405);
      expect(body.code).toBe('provider_read_only');
    }
    expect(remove.status).toBe(405);
    expect(await shared.readYamlText('open_meteo')).toBe(BEAKER_YAML);
  });

  it('removes an integration with the `disabled` marker (R10)', async () => {
    await send('', post({ provider: 'filesystem:local', uuid: 'w1', name: 'Weather API' }));

    const removed = await handler(new Request(`${BASE}/w1`, { method: 'DELETE' }));
    const after = await send('/w1');

    expect(removed.status).toBe(200);
    expect(await removed.json()).toEqual({});
    expect(after.status).toBe(404);
    expect(await local.readYamlText('weather_api')).toBe('disabled');
  });

  it("updates a resource posted back whole, as Beaker's web client does (R8)", async () => {
    await send('', post({ provider: 'filesystem:local', uuid: 'w1', name: 'Weather API' }));
    const added = await send(
      '/w1/new',
      post({ resource_type: 'file', name: 'Guide', filepath: 'guide.md', content: 'v1' }),
    );

    const updated = await send(
      `/w1/new/${added.body.resource_id}`,
      post({ ...added.body, content: 'v2' }),
    );

    expect(updated.status).toBe(200);
    expect(updated.body.content).toBe('v2');
    expect(await local.readAttachment('weather_api', 'guide.md')).toBe('v2');
  });
});
