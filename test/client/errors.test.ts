import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTPError, isNetworkError, isTimeoutError } from 'ky';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createIntegrationsClient,
  IntegrationsApiError,
  type IntegrationsClient,
  isIntegrationsApiError,
} from '../../src/client/index.js';
import { IntegrationContext } from '../../src/core/index.js';
import { createIntegrationsHandler } from '../../src/server/index.js';
import {
  BASE_PATH,
  type LoopbackServer,
  memoryLogger,
  ReadOnlyProvider,
  ScriptedProvider,
  seedIntegrations,
  startLoopback,
  WEATHER_ID,
} from './helpers.js';

const MAX_BODY_BYTES = 2048;
const TIMEOUT_MS = 250;

let loopback: LoopbackServer;
let scripted: ScriptedProvider;
let client: IntegrationsClient;

beforeAll(async () => {
  scripted = new ScriptedProvider({ slug: 'scratch', integrations: seedIntegrations() });
  const context = new IntegrationContext({ providers: [scripted, new ReadOnlyProvider()] });
  const handler = createIntegrationsHandler({
    basePath: BASE_PATH,
    resolveContext: (sessionId) => (sessionId.startsWith('s') ? context : undefined),
    authorize: ({ sessionId }) => sessionId !== 'sealed',
    maxBodyBytes: MAX_BODY_BYTES,
    timeoutMs: TIMEOUT_MS,
    logger: memoryLogger(),
  });
  loopback = await startLoopback(handler);
  client = createIntegrationsClient({
    baseUrl: `${loopback.origin}${BASE_PATH}`,
    sessionId: 's1',
    ky: { retry: 0 },
  });
});

afterAll(() => loopback.close());

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('Expected the call to reject'),
    (error: unknown) => error,
  );
}

/** Asserts an API error with a status and code, and returns it. */
async function apiError(
  promise: Promise<unknown>,
  status: number,
  code: string,
): Promise<IntegrationsApiError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(IntegrationsApiError);
  const apiError = error as IntegrationsApiError;
  expect(apiError.status).toBe(status);
  expect(apiError.code).toBe(code);
  expect(apiError.problem?.status).toBe(status);
  expect(apiError.problem?.code).toBe(code);
  expect(apiError.detail).toBe(apiError.problem?.detail);

  return apiError;
}

describe('IntegrationsApiError mapping', () => {
  it('carries the method, URL, problem document and ky error', async () => {
    const error = await apiError(client.getIntegration('missing'), 404, 'integration_not_found');

    expect(error.name).toBe('IntegrationsApiError');
    expect(error.method).toBe('GET');
    expect(error.url).toBe(`${loopback.origin}${BASE_PATH}/s1/missing`);
    expect(error.detail).toBe('Integration "missing" was not found');
    expect(error.problem).toMatchObject({
      type: 'urn:beaker-integrations:problem:integration_not_found',
      title: 'Not Found',
      integration_id: 'missing',
    });
    expect(error.body).toEqual(error.problem);
    expect(error.cause).toBeInstanceOf(HTTPError);
    expect(error.message).toBe(
      `GET ${error.url} failed with 404 integration_not_found: Integration "missing" was not found`,
    );
  });

  it('maps 400 invalid_json from a body that is not JSON', async () => {
    const raw = createIntegrationsClient({
      baseUrl: `${loopback.origin}${BASE_PATH}`,
      sessionId: 's1',
      fetch: (input, init) =>
        fetch(
          new Request(input as Request, { body: '{"name": ', duplex: 'half' } as RequestInit),
          init,
        ),
    });

    await apiError(raw.addIntegration('memory:scratch', { name: 'Broken' }), 400, 'invalid_json');
  });

  it('maps 403 forbidden from the authorize option', async () => {
    await apiError(client.withSession('sealed').listIntegrations(), 403, 'forbidden');
  });

  it.each([
    ['session_not_found', () => client.withSession('unknown').listIntegrations()],
    ['integration_not_found', () => client.listResources('missing')],
    ['resource_not_found', () => client.getResource(WEATHER_ID, 'missing')],
    ['provider_not_found', () => client.addIntegration('memory:nowhere', { name: 'Lost' })],
  ])('maps 404 %s', async (code, call) => {
    await apiError(call(), 404, code);
  });

  it('maps 404 route_not_found for a base URL the server does not serve', async () => {
    const misplaced = createIntegrationsClient({
      baseUrl: `${loopback.origin}/elsewhere`,
      sessionId: 's1',
    });

    await apiError(misplaced.listIntegrations(), 404, 'route_not_found');
  });

  it('maps 405 provider_read_only for writes to a read-only provider', async () => {
    await apiError(
      client.addIntegration('static:docs', { name: 'Page' }),
      405,
      'provider_read_only',
    );
    await apiError(
      client.updateIntegration('docs-index', { name: 'Renamed' }),
      405,
      'provider_read_only',
    );
    await apiError(client.removeIntegration('docs-index'), 405, 'provider_read_only');
  });

  it('maps 409 integration_exists and resource_exists', async () => {
    await apiError(
      client.addIntegration('memory:scratch', { uuid: WEATHER_ID, name: 'Copy' }),
      409,
      'integration_exists',
    );
    await apiError(
      client.addResource(WEATHER_ID, {
        resource_type: 'file',
        resource_id: 'readme.md',
        name: 'Copy',
      }),
      409,
      'resource_exists',
    );
  });

  it('maps 412 precondition_failed with the current ETag', async () => {
    const error = await apiError(
      client.updateIntegration(WEATHER_ID, { description: 'x' }, { ifMatch: '"stale"' }),
      412,
      'precondition_failed',
    );

    expect(isIntegrationsApiError(error, 'precondition_failed')).toBe(true);
    expect(error.problem?.etag).toMatch(/^"[^"]+"$/);
  });

  it('maps 413 body_too_large for a body over `maxBodyBytes`', async () => {
    const description = 'x'.repeat(MAX_BODY_BYTES);
    const error = await apiError(
      client.addIntegration('memory:scratch', { name: 'Big', description }),
      413,
      'body_too_large',
    );

    expect(error.problem?.max_body_bytes).toBe(MAX_BODY_BYTES);
  });

  it('maps 415 unsupported_media_type for a body sent as text', async () => {
    await apiError(
      client.addIntegration(
        'memory:scratch',
        { name: 'Text' },
        { headers: { 'content-type': 'text/plain' } },
      ),
      415,
      'unsupported_media_type',
    );
  });

  it('maps 422 validation_failed with the failing fields', async () => {
    const error = await apiError(
      client.addIntegration('memory:scratch', { name: '' }),
      422,
      'validation_failed',
    );

    expect(error.problem?.errors?.map((field) => field.path)).toEqual(['name']);
  });

  it('maps 500 provider_error for a provider that throws', async () => {
    scripted.plan('getIntegration', 'fail', 1);
    const error = await apiError(client.getIntegration(WEATHER_ID), 500, 'provider_error');

    expect(error.problem?.error_id).toEqual(expect.any(String));
    expect(error.detail).not.toContain('Scripted failure');
  });

  it('maps 504 provider_timeout for a provider that outlives `timeoutMs`', async () => {
    scripted.plan('getIntegration', 'hang', 1);
    const error = await apiError(client.getIntegration(WEATHER_ID), 504, 'provider_timeout');

    expect(error.problem?.timeout_ms).toBe(TIMEOUT_MS);
  });
});

describe('failures without a problem document', () => {
  let proxy: ReturnType<typeof createServer>;
  let proxyOrigin: string;

  beforeAll(async () => {
    proxy = createServer((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyOrigin = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

  it('maps an HTML error page to `unexpected_response` with the raw text', async () => {
    const behindProxy = createIntegrationsClient({
      baseUrl: `${proxyOrigin}${BASE_PATH}`,
      sessionId: 's1',
      ky: { retry: 0 },
    });
    const error = await rejection(behindProxy.addIntegration('memory:scratch', { name: 'X' }));

    expect(isIntegrationsApiError(error, 'unexpected_response')).toBe(true);
    const apiError = error as IntegrationsApiError;
    expect(apiError.status).toBe(502);
    expect(apiError.problem).toBeUndefined();
    expect(apiError.body).toBe('<html><body><h1>502 Bad Gateway</h1></body></html>');
    expect(apiError.detail).toBe('The error body is not a problem document but text/html');
    expect(apiError.message).toBe(
      `POST ${proxyOrigin}${BASE_PATH}/s1 failed with 502 unexpected_response: ${apiError.detail}`,
    );
  });

  it('keeps a network failure as ky NetworkError, not an API error', async () => {
    const closed = await startLoopback(() => new Response('{}'));
    await closed.close();
    const unreachable = createIntegrationsClient({
      baseUrl: `${closed.origin}${BASE_PATH}`,
      sessionId: 's1',
      ky: { retry: 0 },
    });
    const error = await rejection(unreachable.listIntegrations());

    expect(isNetworkError(error)).toBe(true);
    expect(isIntegrationsApiError(error)).toBe(false);
  });

  it('keeps a client-side timeout as ky TimeoutError', async () => {
    scripted.plan('getIntegration', 'hang', 1);
    const error = await rejection(client.getIntegration(WEATHER_ID, { timeout: 50 }));

    expect(isTimeoutError(error)).toBe(true);
    expect(isIntegrationsApiError(error)).toBe(false);
  });
});

describe('isIntegrationsApiError', () => {
  it('recognizes an error from another copy of the class by name', () => {
    const foreign = Object.assign(new Error('x'), { name: 'IntegrationsApiError', code: 'a' });

    expect(isIntegrationsApiError(foreign)).toBe(true);
    expect(isIntegrationsApiError(foreign, 'integration_not_found')).toBe(false);
    expect(isIntegrationsApiError(new Error('x'))).toBe(false);
    expect(isIntegrationsApiError(null)).toBe(false);
  });
});
