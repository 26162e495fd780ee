import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IntegrationContext } from '../../src/core/index.js';
import { createIntegrationsHandler, type IntegrationsHandler } from '../../src/server/index.js';
import { censusIntegration, createFixture, ids } from '../helpers/fixtures.js';
import { type Send, transports } from '../helpers/transports.js';

const BASE = '/beaker/integrations/s1';
const JSON_TYPE = 'application/json; charset=utf-8';
const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';
const json = { 'content-type': 'application/json' };

function post(body: unknown): RequestInit {
  return { method: 'POST', headers: json, body: JSON.stringify(body) };
}

const weatherExample = {
  resource_type: 'example',
  resource_id: ids.weatherExample,
  integration: ids.weather,
  query: 'Tomorrow in Oslo',
  code: "client.forecast('Oslo', days=1)",
};
const weatherDocs = {
  resource_type: 'file',
  resource_id: ids.weatherDocs,
  integration: ids.weather,
  name: 'usage.md',
  filepath: 'usage.md',
  content: '# Usage\nCall /forecast with a city name.',
};
const weather = {
  uuid: ids.weather,
  name: 'Weather API',
  description: 'Seven-day forecasts by city.',
  provider: 'memory:scratch',
  slug: 'weather_api',
  datatype: 'api',
  url: 'https://weather.example.org/v1',
  resources: { [ids.weatherExample]: weatherExample, [ids.weatherDocs]: weatherDocs },
};
const providers = [
  {
    id: 'memory:scratch',
    display_name: 'Scratch space',
    provider_type: 'memory',
    slug: 'scratch',
    mutable: true,
  },
  {
    id: 'catalog:public',
    display_name: 'Public catalogue',
    provider_type: 'catalog',
    slug: 'public',
    mutable: false,
  },
];

async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe(PROBLEM_TYPE);
  const problem = await response.json();
  expect(problem.code).toBe(code);
  expect(problem.status).toBe(status);
  expect(problem.type).toBe(`urn:beaker-integrations:problem:${code}`);

  return problem;
}

describe.each(transports)('routes $name', (transport) => {
  let handler: IntegrationsHandler;
  let context: IntegrationContext;
  let send: Send;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const opened = await transport.open((request) => handler(request));
    send = opened.send;
    close = opened.close;
  });
  afterAll(() => close());
  beforeEach(() => {
    context = createFixture().context;
    handler = createIntegrationsHandler({ context });
  });

  describe('R1 GET /{session_id}', () => {
    it('returns every integration keyed by uuid and the providers', async () => {
      const response = await send(BASE);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(JSON_TYPE);
      expect(await response.json()).toEqual({
        integrations: { [ids.weather]: weather, [ids.census]: censusIntegration() },
        providers,
      });
    });

    it('accepts a trailing slash and a JSON Content-Type without a body', async () => {
      const response = await send(`${BASE}/`, { headers: json });

      expect(response.status).toBe(200);
      expect(Object.keys((await response.json()).integrations)).toEqual([ids.weather, ids.census]);
    });
  });

  describe('R2 GET /{session_id}/{integration_id}', () => {
    it('returns the integration with its resources and an ETag', async () => {
      const response = await send(`${BASE}/${ids.weather}`);

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(weather);
      expect(response.headers.get('etag')).toMatch(/^"[0-9a-z]+-[0-9a-z]+"$/);
    });

    it('returns an integration of a read-only provider', async () => {
      const response = await send(`${BASE}/${ids.census}/`);

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(censusIntegration());
    });

    it('returns 404 integration_not_found for an unknown id', async () => {
      const problem = await expectProblem(await send(`${BASE}/nope`), 404, 'integration_not_found');

      expect(problem.detail).toBe('Integration "nope" was not found');
      expect(problem.integration_id).toBe('nope');
      expect(problem.instance).toBe(`${BASE}/nope`);
    });

    it('returns 404 for __proto__ and constructor as ids', async () => {
      await expectProblem(await send(`${BASE}/__proto__`), 404, 'integration_not_found');
      await expectProblem(await send(`${BASE}/constructor`), 404, 'integration_not_found');
    });
  });

  describe('R3 GET /{session_id}/{integration_id}/{resource_type}', () => {
    it('lists every resource for `all`', async () => {
      const response = await send(`${BASE}/${ids.weather}/all`);

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ resources: [weatherExample, weatherDocs] });
    });

    it('lists only the resources of a specific type', async () => {
      const examples = await send(`${BASE}/${ids.weather}/example`);
      const files = await send(`${BASE}/${ids.weather}/file/`);

      expect(await examples.json()).toEqual({ resources: [weatherExample] });
      expect(await files.json()).toEqual({ resources: [weatherDocs] });
    });

    it('returns an empty list for a type with no resources', async () => {
      const response = await send(`${BASE}/${ids.weather}/schema`);

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ resources: [] });
    });

    it('returns 404 integration_not_found for an unknown integration', async () => {
      await expectProblem(await send(`${BASE}/nope/all`), 404, 'integration_not_found');
    });
  });

  describe('R4 GET /{session_id}/{integration_id}/{resource_type}/{resource_id}', () => {
    it('returns the resource through a wildcard or its own type', async () => {
      const viaAll = await send(`${BASE}/${ids.weather}/all/${ids.weatherExample}`);
      const viaType = await send(`${BASE}/${ids.weather}/example/${ids.weatherExample}`);

      expect(viaAll.status).toBe(200);
      expect(await viaAll.json()).toEqual(weatherExample);
      expect(viaType.status).toBe(200);
      expect(viaType.headers.get('etag')).toBe(viaAll.headers.get('etag'));
    });

    it('returns 404 resource_not_found through another type', async () => {
      const response = await send(`${BASE}/${ids.weather}/file/${ids.weatherExample}`);

      await expectProblem(response, 404, 'resource_not_found');
    });

    it('returns 404 resource_not_found for an unknown resource', async () => {
      const problem = await expectProblem(
        await send(`${BASE}/${ids.weather}/all/nope`),
        404,
        'resource_not_found',
      );

      expect(problem.resource_id).toBe('nope');
      expect(problem.integration_id).toBe(ids.weather);
    });
  });

  describe('R5 POST /{session_id}', () => {
    it('creates an integration with the documented defaults', async () => {
      const response = await send(
        `${BASE}/`,
        post({ provider: 'memory:scratch', name: 'Air Quality Index' }),
      );
      const created = await response.json();

      expect(response.status).toBe(201);
      expect(created).toEqual({
        uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Air Quality Index',
        description: '',
        provider: 'memory:scratch',
        slug: 'air_quality_index',
        datatype: 'api',
        resources: {},
      });
      expect(await (await send(`${BASE}/${created.uuid}`)).json()).toEqual(created);
    });

    it('keeps given ids, unknown fields and resources', async () => {
      const response = await send(
        BASE,
        post({
          provider: 'memory:scratch',
          uuid: 'tides',
          name: 'Tide tables',
          datatype: 'dataset',
          last_updated: '2024-05-01 10:00:00',
          owner: { team: 'ocean' },
          resources: { t1: { resource_type: 'example', query: 'High tide', code: 'tides()' } },
        }),
      );

      expect(response.status).toBe(201);
      expect(await response.json()).toEqual({
        uuid: 'tides',
        name: 'Tide tables',
        description: '',
        provider: 'memory:scratch',
        slug: 'tide_tables',
        datatype: 'dataset',
        last_updated: '2024-05-01T10:00:00',
        owner: { team: 'ocean' },
        resources: {
          t1: {
            resource_type: 'example',
            resource_id: 't1',
            integration: 'tides',
            query: 'High tide',
            code: 'tides()',
          },
        },
      });
    });

    it('returns 409 integration_exists for a taken uuid', async () => {
      const body = post({ provider: 'memory:scratch', uuid: ids.weather, name: 'Again' });

      await expectProblem(await send(BASE, body), 409, 'integration_exists');
    });

    it('returns 405 provider_read_only for a read-only provider', async () => {
      const response = await send(BASE, post({ provider: 'catalog:public', name: 'X' }));
      const problem = await expectProblem(response, 405, 'provider_read_only');

      expect(problem.detail).toBe(
        'Provider "catalog:public" is read-only; write to a mutable provider',
      );
    });

    it('returns 404 provider_not_found for an unknown provider', async () => {
      const response = await send(BASE, post({ provider: 'memory:elsewhere', name: 'X' }));
      const problem = await expectProblem(response, 404, 'provider_not_found');

      expect(problem.detail).toBe(
        'Provider "memory:elsewhere" was not found; known providers: memory:scratch, catalog:public',
      );
    });

    it('returns 422 validation_failed naming missing fields', async () => {
      const noProvider = await expectProblem(
        await send(BASE, post({ name: 'X' })),
        422,
        'validation_failed',
      );
      const noName = await expectProblem(
        await send(BASE, post({ provider: 'memory:scratch', datatype: 'spreadsheet' })),
        422,
        'validation_failed',
      );

      expect(noProvider.errors).toEqual([
        { path: 'provider', message: 'Required: a provider id, one of "memory:scratch"' },
      ]);
      expect(noName.errors.map((error: { path: string }) => error.path)).toEqual([
        'name',
        'datatype',
      ]);
    });
  });

  describe('R6 POST /{session_id}/{integration_id}', () => {
    it('changes the given fields and keeps the others', async () => {
      const response = await send(`${BASE}/${ids.weather}`, post({ name: 'Weather API v2' }));

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ...weather, name: 'Weather API v2' });
    });

    it('accepts the whole integration posted back with a new slug', async () => {
      const changed = { ...weather, slug: 'weather', description: 'Hourly too.' };
      const response = await send(`${BASE}/${ids.weather}/`, post(changed));

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(changed);
    });

    it('ignores resources in the body', async () => {
      const response = await send(`${BASE}/${ids.weather}`, post({ resources: {} }));

      expect(await response.json()).toEqual(weather);
    });

    it('returns 422 naming an identity field that differs', async () => {
      const uuid = await expectProblem(
        await send(`${BASE}/${ids.weather}`, post({ uuid: 'other' })),
        422,
        'validation_failed',
      );
      const provider = await expectProblem(
        await send(`${BASE}/${ids.weather}`, post({ provider: 'catalog:public' })),
        422,
        'validation_failed',
      );

      expect(uuid.errors[0].path).toBe('uuid');
      expect(provider.errors[0].path).toBe('provider');
    });

    it('returns 405 provider_read_only on a read-only integration', async () => {
      const response = await send(`${BASE}/${ids.census}`, post({ name: 'Renamed' }));

      await expectProblem(response, 405, 'provider_read_only');
    });
  });

  describe('R7 POST /{session_id}/{integration_id}/{resource_type}', () => {
    it('adds a resource sent to `new` with a generated id', async () => {
      const response = await send(
        `${BASE}/${ids.weather}/new`,
        post({ resource_type: 'example', query: 'Rain in Lima', code: "forecast('Lima')" }),
      );
      const created = await response.json();

      expect(response.status).toBe(201);
      expect(created).toEqual({
        resource_type: 'example',
        resource_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        integration: ids.weather,
        query: 'Rain in Lima',
        code: "forecast('Lima')",
      });
      const read = await send(`${BASE}/${ids.weather}/all/${created.resource_id}`);
      expect(await read.json()).toEqual(created);
    });

    it('takes the type from a specific path segment', async () => {
      const response = await send(
        `${BASE}/${ids.weather}/file`,
        post({ resource_id: 'changelog', name: 'CHANGELOG.md', content: 'v2: hourly' }),
      );

      expect(response.status).toBe(201);
      expect(await response.json()).toEqual({
        resource_type: 'file',
        resource_id: 'changelog',
        integration: ids.weather,
        name: 'CHANGELOG.md',
        content: 'v2: hourly',
      });
    });

    it('returns 422 when the path type contradicts the body', async () => {
      const response = await send(
        `${BASE}/${ids.weather}/file`,
        post({ resource_type: 'example', query: 'q', code: 'c' }),
      );
      const problem = await expectProblem(response, 422, 'validation_failed');

      expect(problem.errors).toEqual([
        { path: 'resource_type', message: 'Expected "file", as in the path' },
      ]);
    });

    it('returns 422 naming the missing fields of the kind', async () => {
      const response = await send(
        `${BASE}/${ids.weather}/new`,
        post({ resource_type: 'example', query: 'q' }),
      );
      const problem = await expectProblem(response, 422, 'validation_failed');

      expect(problem.errors.map((error: { path: string }) => error.path)).toEqual(['code']);
    });

    it('returns 422 when no resource type is given at all', async () => {
      const response = await send(`${BASE}/${ids.weather}/new`, post({ query: 'q' }));
      const problem = await expectProblem(response, 422, 'validation_failed');

      expect(problem.errors[0].path).toBe('resource_type');
    });

    it('returns 409 resource_exists for a taken resource id', async () => {
      const response = await send(
        `${BASE}/${ids.weather}/new`,
        post({ resource_type: 'example', resource_id: ids.weatherExample, query: 'q', code: 'c' }),
      );

      await expectProblem(response, 409, 'resource_exists');
    });
  });

  describe('R8 POST /{session_id}/{integration_id}/{resource_type}/{resource_id}', () => {
    it('changes the given fields of a resource', async () => {
      const response = await send(
        `${BASE}/${ids.weather}/new/${ids.weatherExample}`,
        post({ notes: 'Uses the free tier.' }),
      );

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ...weatherExample, notes: 'Uses the free tier.' });
    });

    it('accepts the whole resource posted back', async () => {
      const changed = { ...weatherExample, query: 'Tomorrow in Bergen' };
      const response = await send(
        `${BASE}/${ids.weather}/new/${ids.weatherExample}`,
        post(changed),
      );

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(changed);
    });

    it('returns 422 naming an identity field that differs', async () => {
      const response = await send(
        `${BASE}/${ids.weather}/new/${ids.weatherExample}`,
        post({ ...weatherExample, integration: ids.census }),
      );
      const problem = await expectProblem(response, 422, 'validation_failed');

      expect(problem.errors[0].path).toBe('integration');
    });

    it('returns 404 resource_not_found for an unknown resource', async () => {
      const response = await send(`${BASE}/${ids.weather}/new/nope`, post({ notes: 'x' }));

      await expectProblem(response, 404, 'resource_not_found');
    });
  });

  describe('R9 DELETE /{session_id}/{integration_id}/{resource_type}/{resource_id}', () => {
    it('removes the resource and answers {}', async () => {
      const response = await send(`${BASE}/${ids.weather}/any/${ids.weatherExample}`, {
        method: 'DELETE',
        headers: json,
      });

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(JSON_TYPE);
      expect(await response.json()).toEqual({});
      const read = await send(`${BASE}/${ids.weather}/all/${ids.weatherExample}`);
      await expectProblem(read, 404, 'resource_not_found');
    });

    it('returns 404 through a type that is not the resource type', async () => {
      const response = await send(`${BASE}/${ids.weather}/file/${ids.weatherExample}`, {
        method: 'DELETE',
      });

      await expectProblem(response, 404, 'resource_not_found');
      expect((await send(`${BASE}/${ids.weather}/all/${ids.weatherExample}`)).status).toBe(200);
    });
  });

  describe('R10 DELETE /{session_id}/{integration_id}', () => {
    it('removes the integration and answers {}', async () => {
      const response = await send(`${BASE}/${ids.weather}`, { method: 'DELETE' });

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({});
      await expectProblem(await send(`${BASE}/${ids.weather}`), 404, 'integration_not_found');
      const list = await (await send(BASE)).json();
      expect(Object.keys(list.integrations)).toEqual([ids.census]);
    });

    it('returns 405 provider_read_only on a read-only integration', async () => {
      const response = await send(`${BASE}/${ids.census}`, { method: 'DELETE' });

      await expectProblem(response, 405, 'provider_read_only');
    });
  });

  describe('ids in paths', () => {
    it('decodes a percent-encoded slash into one id', async () => {
      await send(BASE, post({ provider: 'memory:scratch', uuid: 'team/weather', name: 'Team' }));
      const response = await send(`${BASE}/team%2Fweather`);

      expect(response.status).toBe(200);
      expect((await response.json()).uuid).toBe('team/weather');
    });

    it('decodes unicode ids', async () => {
      await send(BASE, post({ provider: 'memory:scratch', uuid: 'météo', name: 'Météo' }));
      const response = await send(`${BASE}/${encodeURIComponent('météo')}`);

      expect(response.status).toBe(200);
      expect((await response.json()).slug).toBe('météo');
    });

    it('returns 400 invalid_path_parameter for a malformed escape', async () => {
      const problem = await expectProblem(
        await send(`${BASE}/bad%E0%A4%A`),
        400,
        'invalid_path_parameter',
      );

      expect(problem.parameter).toBe('integration_id');
    });
  });

  describe('other methods and paths', () => {
    it('answers HEAD like GET with an empty body', async () => {
      const response = await send(`${BASE}/${ids.weather}`, { method: 'HEAD' });

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(JSON_TYPE);
      expect(response.headers.get('etag')).not.toBeNull();
      expect(await response.text()).toBe('');
    });

    it('returns 405 method_not_allowed with Allow', async () => {
      const response = await send(`${BASE}/${ids.weather}`, {
        method: 'PUT',
        headers: json,
        body: '{}',
      });
      const problem = await expectProblem(response, 405, 'method_not_allowed');

      expect(response.headers.get('allow')).toBe('GET, POST, DELETE, HEAD, OPTIONS');
      expect(problem.detail).toBe(
        'Method PUT is not allowed here; use GET, POST, DELETE, HEAD, OPTIONS',
      );
    });

    it('returns Allow for DELETE on a session', async () => {
      const response = await send(BASE, { method: 'DELETE' });

      await expectProblem(response, 405, 'method_not_allowed');
      expect(response.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');
    });

    it('answers OPTIONS with 204 and Allow when CORS is off', async () => {
      const response = await send(`${BASE}/${ids.weather}/all`, { method: 'OPTIONS' });

      expect(response.status).toBe(204);
      expect(response.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS');
    });

    it('returns 404 route_not_found outside the table', async () => {
      await expectProblem(await send('/elsewhere'), 404, 'route_not_found');
      await expectProblem(await send(`${BASE}/a/b/c/d`), 404, 'route_not_found');
      await expectProblem(await send(`${BASE}//all`), 404, 'route_not_found');
    });
  });

  describe('bodies', () => {
    it('returns 400 invalid_json for a body that does not parse', async () => {
      const response = await send(BASE, { method: 'POST', headers: json, body: '{"name": ' });
      const problem = await expectProblem(response, 400, 'invalid_json');

      expect(problem.detail).toMatch(/^Request body is not valid JSON: /);
    });

    it('returns 400 invalid_body for JSON that is not an object', async () => {
      for (const body of ['[1]', '"text"', '42', 'null']) {
        const response = await send(BASE, { method: 'POST', headers: json, body });
        await expectProblem(response, 400, 'invalid_body');
      }
    });

    it('returns 400 invalid_body for an empty body', async () => {
      const response = await send(`${BASE}/${ids.weather}`, { method: 'POST', headers: json });

      await expectProblem(response, 400, 'invalid_body');
    });

    it('reads a body without Content-Type as JSON', async () => {
      const response = await send(`${BASE}/${ids.weather}`, {
        method: 'POST',
        body: new TextEncoder().encode('{"name":"Weather"}'),
      });

      expect(response.status).toBe(200);
    });

    it('returns 415 unsupported_media_type for a body that is not JSON', async () => {
      const response = await send(`${BASE}/${ids.weather}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: '{"name":"Weather"}',
      });

      await expectProblem(response, 415, 'unsupported_media_type');
    });

    it('accepts +json media types and a charset', async () => {
      const response = await send(`${BASE}/${ids.weather}`, {
        method: 'POST',
        headers: { 'content-type': 'application/merge-patch+json; charset=UTF-8' },
        body: '{"name":"Weather"}',
      });

      expect(response.status).toBe(200);
    });

    it('returns 413 body_too_large over maxBodyBytes', async () => {
      handler = createIntegrationsHandler({ context, maxBodyBytes: 64 });
      const response = await send(`${BASE}/${ids.weather}`, post({ description: 'x'.repeat(100) }));
      const problem = await expectProblem(response, 413, 'body_too_large');

      expect(problem.max_body_bytes).toBe(64);
    });
  });
});
