import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  IntegrationContext,
  IntegrationsError,
  type ProviderMethod,
  ResourceExistsError,
} from '../../../src/core/index.js';
import { createIntegrationsHandler } from '../../../src/server/index.js';
import {
  BASE_PATH,
  expectNoInternals,
  expectProblem,
  readResponse,
  recordingLogger,
  startServer,
  type TestServer,
} from './http.js';
import { ScriptedProvider } from './scripted-provider.js';

const TIMEOUT_MS = 100;
const INTERNAL_PATH = '/srv/beaker/secrets/providers.yaml';

/** A route to call and the provider method it reaches. */
interface Call {
  name: string;
  method: ProviderMethod;
  request: () => RequestInit & { path: string };
}

function jsonPost(path: string, body: unknown) {
  return {
    path,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

const calls: Call[] = [
  { name: 'R1', method: 'listIntegrations', request: () => ({ path: '/s1' }) },
  { name: 'R2', method: 'getIntegration', request: () => ({ path: '/s1/i1' }) },
  { name: 'R3', method: 'listResources', request: () => ({ path: '/s1/i1/all' }) },
  { name: 'R4', method: 'getResource', request: () => ({ path: '/s1/i1/file/r1' }) },
  {
    name: 'R5',
    method: 'addIntegration',
    request: () => jsonPost('/s1', { provider: 'memory:scripted', name: 'New' }),
  },
  {
    name: 'R6',
    method: 'updateIntegration',
    request: () => jsonPost('/s1/i1', { name: 'Renamed' }),
  },
  {
    name: 'R7',
    method: 'addResource',
    request: () => jsonPost('/s1/i1/new', { resource_type: 'file', name: 'n.md' }),
  },
  {
    name: 'R8',
    method: 'updateResource',
    request: () => jsonPost('/s1/i1/file/r1', { name: 'renamed.md' }),
  },
  {
    name: 'R9',
    method: 'removeResource',
    request: () => ({ path: '/s1/i1/any/r1', method: 'DELETE' }),
  },
  {
    name: 'R10',
    method: 'removeIntegration',
    request: () => ({ path: '/s1/i1', method: 'DELETE' }),
  },
];

/** Throwables that are not errors of this library, each with a path that must not leak. */
const thrownValues: Array<[string, () => unknown]> = [
  ['a string', () => `ENOENT: no such file ${INTERNAL_PATH}`],
  ['undefined', () => undefined],
  ['null', () => null],
  ['a number', () => 42],
  ['a plain object', () => ({ message: INTERNAL_PATH, stack: `at load (${INTERNAL_PATH}:1:1)` })],
  ['an Error with a path', () => new Error(`cannot open ${INTERNAL_PATH}`)],
  ['a TypeError', () => new TypeError("Cannot read properties of undefined (reading 'uuid')")],
  [
    'an object posing as a library error with status 200',
    () => ({ status: 200, code: 'ok', toProblem: () => ({ status: 200 }) }),
  ],
  [
    'an object posing as a library error with status 999',
    () => ({ status: 999, code: 'odd', toProblem: () => ({ detail: INTERNAL_PATH }) }),
  ],
  [
    'a library error with a status that is not an error',
    () => new IntegrationsError(302, 'moved', `see ${INTERNAL_PATH}`),
  ],
  [
    'an object whose toProblem throws',
    () => ({
      status: 500,
      code: 'broken',
      toProblem: () => {
        throw new Error(INTERNAL_PATH);
      },
    }),
  ],
];

/** Values that fail the response schema, per method. */
const invalidResults: Array<[ProviderMethod, string, unknown]> = [
  ['listIntegrations', 'an object for a list', { uuid: 'i1' }],
  ['listIntegrations', 'an item without uuid', [{ name: 'x', provider: 'memory:scripted' }]],
  ['listIntegrations', 'null in the list', [null]],
  ['getIntegration', 'undefined', undefined],
  ['getIntegration', 'an integration without name', { uuid: 'i1', provider: 'memory:scripted' }],
  [
    'getIntegration',
    'a bad datatype',
    { uuid: 'i1', name: 'x', provider: 'memory:scripted', slug: 'x', datatype: 'blob' },
  ],
  ['listResources', 'a string', 'resources'],
  [
    'listResources',
    'a file without name',
    [{ resource_type: 'file', resource_id: 'r', integration: 'i1' }],
  ],
  [
    'getResource',
    'an example without code',
    { resource_type: 'example', resource_id: 'r1', integration: 'i1', query: 'q' },
  ],
  ['addIntegration', 'a number', 7],
  [
    'updateIntegration',
    'an integration with an empty uuid',
    { uuid: '', name: 'x', provider: 'memory:scripted', slug: 'x' },
  ],
  ['addResource', 'a resource without type', { resource_id: 'r', integration: 'i1' }],
  ['updateResource', 'an array', []],
];

describe('misbehaving providers over HTTP', () => {
  let server: TestServer;
  let context: IntegrationContext;
  const logger = recordingLogger();
  const provider = new ScriptedProvider({
    slug: 'scripted',
    integrations: [
      {
        uuid: 'i1',
        name: 'Weather API',
        resources: { r1: { resource_type: 'file', name: 'usage.md' } },
      },
    ],
  });
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  async function send(call: Call): Promise<Response> {
    const { path, ...init } = call.request();

    return fetch(`${server.origin}${BASE_PATH}${path}`, init);
  }

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    context = new IntegrationContext({ providers: [provider] });
    await context.listIntegrations();
    const handler = createIntegrationsHandler({ context, timeoutMs: TIMEOUT_MS, logger });
    server = await startServer(handler);
  });
  afterEach(async () => {
    provider.reset();
    // A failed listing leaves the context's uuid index empty; refill it so that every test starts
    // with the owner of i1 known.
    await context.listIntegrations();
    logger.entries.length = 0;
  });
  afterAll(async () => {
    await server.close();
    process.off('unhandledRejection', onUnhandled);
  });

  describe.each(thrownValues)('a provider that throws %s', (_name, makeThrown) => {
    it.each(calls)('answers $name with a generic 500', async (call) => {
      provider.script(call.method, () => {
        throw makeThrown();
      });

      const response = await readResponse(await send(call));

      const problem = expectProblem(response, 500, 'provider_error');
      expect(response.text).not.toContain(INTERNAL_PATH);
      expect(response.text).not.toContain('Cannot read properties');
      expect(problem.error_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(logger.entries).toHaveLength(1);
      expect(logger.entries[0]!.details?.error_id).toBe(problem.error_id);
    });
  });

  it.each(calls)(
    'answers $name with 500 when the provider rejects asynchronously',
    async (call) => {
      provider.script(call.method, () => Promise.reject('rejected with a string'));

      const response = await readResponse(await send(call));

      expectProblem(response, 500, 'provider_error');
      expect(response.text).not.toContain('rejected with a string');
    },
  );

  it.each(invalidResults)(
    'answers %s returning %s with invalid_provider_response',
    async (method, _what, value) => {
      provider.script(method, () => value);
      const call = calls.find((candidate) => candidate.method === method)!;

      const response = await readResponse(await send(call));

      const problem = expectProblem(response, 500, 'invalid_provider_response');
      expect(problem.provider_id).toBe('memory:scripted');
      expect(problem).not.toHaveProperty('errors');
      expect(logger.entries).toHaveLength(1);
      expect(logger.entries[0]!.details).toMatchObject({
        code: 'invalid_provider_response',
        provider_id: 'memory:scripted',
        error_id: problem.error_id,
      });
      expect(logger.entries[0]!.details?.details).toEqual(expect.any(Array));
    },
  );

  it('answers 500 to a result that cannot be serialized', async () => {
    const circular: Record<string, unknown> = {
      uuid: 'i1',
      name: 'x',
      provider: 'memory:scripted',
      slug: 'x',
    };
    circular.self = circular;
    provider.script('getIntegration', () => circular);

    const response = await readResponse(await send(calls[1]!));

    expectProblem(response, 500, 'provider_error');
  });

  it('answers 500 to a result with a BigInt field', async () => {
    provider.script('getResource', () => ({
      resource_type: 'file',
      resource_id: 'r1',
      integration: 'i1',
      name: 'n',
      size: 10n,
    }));

    expectProblem(await readResponse(await send(calls[3]!)), 500, 'provider_error');
  });

  it('passes on a library error with its own status', async () => {
    provider.script('addResource', () => {
      throw new ResourceExistsError('i1', 'r1');
    });

    expectProblem(await readResponse(await send(calls[6]!)), 409, 'resource_exists');
    expect(logger.entries).toEqual([]);
  });

  it.each(calls)('answers $name with 504 when the provider never settles', async (call) => {
    provider.script(call.method, () => new Promise(() => undefined));

    const started = performance.now();
    const response = await readResponse(await send(call));

    const problem = expectProblem(response, 504, 'provider_timeout');
    expect(problem.timeout_ms).toBe(TIMEOUT_MS);
    expect(performance.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(provider.lastSignal?.aborted).toBe(true);
    expect(provider.lastSignal?.reason).toMatchObject({ code: 'provider_timeout' });
  });

  it('ignores a provider that rejects after the timeout', async () => {
    provider.script('getIntegration', async (_id, options) => {
      const { signal } = options as { signal: AbortSignal };
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      throw new Error(`late failure in ${INTERNAL_PATH}`);
    });

    const response = await readResponse(await send(calls[1]!));
    await new Promise((resolve) => setTimeout(resolve, 20));

    expectProblem(response, 504, 'provider_timeout');
    expect(unhandled).toEqual([]);
  });

  it('keeps serving after every failure', async () => {
    const response = await send(calls[1]!);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ uuid: 'i1', name: 'Weather API' });
    expect(unhandled).toEqual([]);
  });
});

describe('misbehaving providers in process', () => {
  it('answers a failure of resolveContext with a generic 500', async () => {
    const logger = recordingLogger();
    const handler = createIntegrationsHandler({
      resolveContext: () => {
        throw `no database at ${INTERNAL_PATH}`;
      },
      logger,
    });

    const response = await readResponse(
      await handler(new Request(`http://localhost${BASE_PATH}/s1`)),
    );

    expectProblem(response, 500, 'provider_error');
    expectNoInternals(response.text);
    expect(response.text).not.toContain(INTERNAL_PATH);
    expect(logger.entries).toHaveLength(1);
  });
});
