import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createIntegrationsClient,
  type IntegrationsApiError,
  type IntegrationsClient,
  isIntegrationsApiError,
} from '../../src/client/index.js';
import { createMockHandlers } from '../../src/client/mock.js';
import { IntegrationContext } from '../../src/core/index.js';
import { createIntegrationsHandler } from '../../src/server/index.js';
import {
  BASE_PATH,
  type LoopbackServer,
  memoryLogger,
  ScriptedProvider,
  seedIntegrations,
  startLoopback,
  WEATHER_ID,
} from './helpers.js';

let provider: ScriptedProvider;
let loopback: LoopbackServer;
let client: IntegrationsClient;
/** Method and path of every request that reached the handler. */
let received: string[];

beforeEach(async () => {
  provider = new ScriptedProvider({ slug: 'scratch', integrations: seedIntegrations() });
  const handler = createIntegrationsHandler({
    basePath: BASE_PATH,
    context: new IntegrationContext({ providers: [provider] }),
    logger: memoryLogger(),
  });
  received = [];
  loopback = await startLoopback((request) => {
    received.push(`${request.method} ${new URL(request.url).pathname}`);

    return handler(request);
  });
  client = createIntegrationsClient({ baseUrl: `${loopback.origin}${BASE_PATH}`, sessionId: 's1' });
});

afterEach(() => loopback.close());

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('Expected the call to reject'),
    (error: unknown) => error,
  );
}

/** Waits until the provider has seen the abort, bounded so that a missing abort fails the test. */
async function providerAborted(): Promise<void> {
  for (let attempt = 0; attempt < 100 && provider.abortedSignals.length === 0; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('abort over loopback HTTP', () => {
  it('rejects with an AbortError and fires the provider signal', async () => {
    provider.plan('getIntegration', 'hang', 1);
    const controller = new AbortController();
    const started = provider.nextHang();
    const call = client.getIntegration(WEATHER_ID, { signal: controller.signal });
    await started;
    controller.abort();
    const error = await rejection(call);
    await providerAborted();

    expect((error as Error).name).toBe('AbortError');
    expect(isIntegrationsApiError(error)).toBe(false);
    expect(provider.abortedSignals).toHaveLength(1);
    expect(provider.abortedSignals[0]?.aborted).toBe(true);
  });

  it('rejects an already aborted call without sending it', async () => {
    const error = await rejection(
      client.listIntegrations({ signal: AbortSignal.abort(new Error('Closed the picker')) }),
    );

    expect((error as Error).message).toBe('Closed the picker');
    expect(received).toEqual([]);
  });
});

describe('abort through msw handlers', () => {
  const baseUrl = `http://integrations.test${BASE_PATH}`;
  const server = setupServer();

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  it('rejects with an AbortError and fires the provider signal', async () => {
    server.use(...createMockHandlers({ baseUrl, providers: [provider], logger: memoryLogger() }));
    const mocked = createIntegrationsClient({ baseUrl, sessionId: 's1' });
    provider.plan('getIntegration', 'hang', 1);
    const controller = new AbortController();
    const started = provider.nextHang();
    const call = mocked.getIntegration(WEATHER_ID, { signal: controller.signal });
    await started;
    controller.abort();
    const error = await rejection(call);
    await providerAborted();

    expect((error as Error).name).toBe('AbortError');
    expect(provider.abortedSignals).toHaveLength(1);
  });
});

describe('retries', () => {
  it('never retries a POST, even when ky options allow it', async () => {
    const eager = createIntegrationsClient({
      baseUrl: `${loopback.origin}${BASE_PATH}`,
      sessionId: 's1',
      ky: { retry: { limit: 2, methods: ['get', 'post'], delay: () => 0 } },
    });
    provider.plan('addIntegration', 'fail', 1);
    const error = await rejection(eager.addIntegration('memory:scratch', { name: 'Once' }));

    expect((error as IntegrationsApiError).status).toBe(500);
    expect(received).toEqual([`POST ${BASE_PATH}/s1`]);
    expect(provider.calls.addIntegration).toBe(1);
  });

  it('retries a GET that fails with 500 twice, as ky does by default', async () => {
    provider.plan('getIntegration', 'fail');
    const error = await rejection(client.getIntegration(WEATHER_ID));

    expect(isIntegrationsApiError(error, 'provider_error')).toBe(true);
    expect(received).toEqual(
      Array(3).fill(`GET ${BASE_PATH}/s1/${encodeURIComponent(WEATHER_ID)}`),
    );
  });

  it('retries a DELETE that fails with 500 twice, as ky does by default', async () => {
    provider.plan('getIntegration', 'fail');
    const error = await rejection(client.removeIntegration(WEATHER_ID));

    expect(isIntegrationsApiError(error, 'provider_error')).toBe(true);
    expect(received.map((line) => line.split(' ')[0])).toEqual(['DELETE', 'DELETE', 'DELETE']);
  });

  it('returns the result of a GET that succeeds on retry', async () => {
    provider.plan('getIntegration', 'fail', 1);
    const integration = await client.getIntegration(WEATHER_ID);

    expect(integration.uuid).toBe(WEATHER_ID);
    expect(received).toHaveLength(2);
  });

  it('follows a caller that turns GET retries off', async () => {
    const once = createIntegrationsClient({
      baseUrl: `${loopback.origin}${BASE_PATH}`,
      sessionId: 's1',
      ky: { retry: 0 },
    });
    provider.plan('getIntegration', 'fail');
    await rejection(once.getIntegration(WEATHER_ID));

    expect(received).toHaveLength(1);
  });
});
