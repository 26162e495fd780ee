import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InMemoryProvider,
  IntegrationContext,
  IntegrationNotFoundError,
} from '../../../src/core/index.js';
import { createIntegrationsHandler, MAX_ID_BYTES } from '../../../src/server/index.js';
import { SCRATCH } from './fixtures.js';
import {
  BASE_PATH,
  expectProblem,
  fromRaw,
  rawRequest,
  readResponse,
  startServer,
  type TestServer,
} from './http.js';

/** Ids that are one path segment once encoded with encodeURIComponent. */
const ODD_IDS = [
  'a/b',
  'a%2Fb',
  '%',
  'ünïcødé',
  '日本語',
  '😀',
  'a b',
  'a?b#c',
  'a;b=c',
  'a\\b',
  ' leading space',
  '...',
  '.hidden',
  'constructor',
  'toString',
  'hasOwnProperty',
  'x'.repeat(MAX_ID_BYTES),
  '€'.repeat(170),
];

describe('ids over HTTP', () => {
  let server: TestServer;
  let context: IntegrationContext;
  const seenUrls: string[] = [];

  beforeAll(async () => {
    context = new IntegrationContext({
      providers: [
        new InMemoryProvider({
          slug: 'scratch',
          integrations: [{ uuid: 'i1', name: 'Weather API' }],
        }),
      ],
    });
    for (const id of ODD_IDS) {
      await context.addIntegration(SCRATCH, { uuid: id, name: `Integration ${id.slice(0, 20)}` });
      await context.addResource('i1', { resource_type: 'file', resource_id: id, name: 'f' });
    }
    const handler = createIntegrationsHandler({ context });
    server = await startServer((request) => {
      seenUrls.push(new URL(request.url).pathname);

      return handler(request);
    });
  });
  afterAll(() => server.close());

  it.each(ODD_IDS)('reads integration %j as one decoded segment', async (id) => {
    const response = await fetch(`${server.origin}${BASE_PATH}/s1/${encodeURIComponent(id)}`);

    expect(response.status).toBe(200);
    expect(((await response.json()) as { uuid: string }).uuid).toBe(id);
  });

  it.each(ODD_IDS)('reads resource %j as one decoded segment', async (id) => {
    const path = `${BASE_PATH}/s1/i1/file/${encodeURIComponent(id)}`;

    const response = await fetch(`${server.origin}${path}`);

    expect(response.status).toBe(200);
    expect(((await response.json()) as { resource_id: string }).resource_id).toBe(id);
  });

  it('decodes lower- and upper-case escapes alike', async () => {
    const lower = await fetch(`${server.origin}${BASE_PATH}/s1/a%2fb`);
    const upper = await fetch(`${server.origin}${BASE_PATH}/s1/a%2Fb`);

    expect(await lower.json()).toEqual(await upper.json());
  });

  it('decodes a segment once, so a double escape stays an escape', async () => {
    const response = await fetch(`${server.origin}${BASE_PATH}/s1/a%252Fb`);

    expect(((await response.json()) as { uuid: string }).uuid).toBe('a%2Fb');
  });

  it('accepts an id of exactly 512 bytes and answers 414 at 513', async () => {
    const at = await fetch(`${server.origin}${BASE_PATH}/s1/${'y'.repeat(MAX_ID_BYTES)}`);
    const over = await fetch(`${server.origin}${BASE_PATH}/s1/${'y'.repeat(MAX_ID_BYTES + 1)}`);

    expectProblem(await readResponse(at), 404, 'integration_not_found');
    expectProblem(await readResponse(over), 414, 'path_parameter_too_long');
  });

  it('counts the limit in UTF-8 bytes, not characters', async () => {
    const id = encodeURIComponent('€'.repeat(171));

    const response = await fetch(`${server.origin}${BASE_PATH}/s1/i1/file/${id}`);

    const problem = expectProblem(await readResponse(response), 414, 'path_parameter_too_long');
    expect(problem.detail).toContain('513 bytes');
  });

  describe('dot segments, which URL parsing removes before the handler runs', () => {
    it.each([
      ['/s1/..', '/beaker/integrations/'],
      ['/s1/%2e%2e', '/beaker/integrations/'],
      ['/s1/.', '/beaker/integrations/s1/'],
      ['/s1/i1/..', '/beaker/integrations/s1/'],
      ['/s1/i1/all/%2E%2E', '/beaker/integrations/s1/i1/'],
      ['/s1/i1/any/..', '/beaker/integrations/s1/i1/'],
      ['/s1/i1/file/./r1', '/beaker/integrations/s1/i1/file/r1'],
    ])('turns %s into %s', async (path, seen) => {
      seenUrls.length = 0;

      await rawRequest(server, { method: 'GET', path: BASE_PATH + path });

      expect(seenUrls).toEqual([seen]);
    });

    it('answers 404 route_not_found when .. climbs to the base path', async () => {
      const response = await rawRequest(server, { method: 'GET', path: `${BASE_PATH}/s1/..` });

      expectProblem(fromRaw(response), 404, 'route_not_found');
    });

    it('answers the session listing for a . integration id', async () => {
      const response = await rawRequest(server, { method: 'GET', path: `${BASE_PATH}/s1/.` });

      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toHaveProperty('integrations');
    });

    it.each([
      ['uuid', '/s1', { provider: SCRATCH, name: 'x', uuid: '..' }],
      ['uuid', '/s1', { provider: SCRATCH, name: 'x', uuid: '.' }],
      ['resource_id', '/s1/i1/new', { resource_type: 'file', name: 'f', resource_id: '..' }],
      ['resource_id', '/s1/i1/file', { name: 'f', resource_id: '.' }],
      [
        'resources....resource_id',
        '/s1',
        { provider: SCRATCH, name: 'x', resources: { '..': { resource_type: 'file', name: 'f' } } },
      ],
    ])('rejects a new %s that is a dot segment', async (field, path, body) => {
      const response = await fetch(`${server.origin}${BASE_PATH}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

      const problem = expectProblem(await readResponse(response), 422, 'validation_failed');
      expect(problem.errors).toEqual([{ path: field, message: expect.any(String) }]);
    });
  });
});

describe('dot-segment ids through context calls', () => {
  function createContext(): IntegrationContext {
    return new IntegrationContext({
      providers: [
        new InMemoryProvider({
          slug: 'scratch',
          integrations: [
            {
              uuid: '..',
              name: 'Dots',
              resources: { '.': { resource_type: 'file', name: 'dot.md' } },
            },
          ],
        }),
      ],
    });
  }

  it('treats .. as an ordinary id of the in-memory provider', async () => {
    const context = createContext();

    const integration = await context.getIntegration('..');
    const resource = await context.getResource('..', '.');
    await context.removeResource('..', '.');
    await context.removeIntegration('..');

    expect(integration.uuid).toBe('..');
    expect(resource.resource_id).toBe('.');
    await expect(context.getIntegration('..')).rejects.toBeInstanceOf(IntegrationNotFoundError);
  });

  it('looks up .. through call like any other id', async () => {
    const context = createContext();

    const integration = await context.call('integration:..', 'get_integration');

    expect(integration).toMatchObject({ uuid: '..', name: 'Dots' });
  });
});
