import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallOptions, InMemoryProvider, IntegrationContext } from '../../src/core/index.js';
import { createIntegrationsHandler, type Logger } from '../../src/server/index.js';
import { CatalogProvider, censusIntegration, ids } from '../helpers/fixtures.js';
import { type Send, transports } from '../helpers/transports.js';

const BASE = '/beaker/integrations/s1';

interface LoggedError {
  message: string;
  details: Record<string, unknown> | undefined;
}

function recordingLogger() {
  const errors: LoggedError[] = [];
  const logger: Logger = { error: (message, details) => errors.push({ message, details }) };

  return { errors, logger };
}

/** A catalogue whose reads can be made to throw or to hang, with the signals it received. */
class FaultyProvider extends CatalogProvider {
  fault: 'none' | 'throw' | 'hang' = 'none';
  readonly signals: AbortSignal[] = [];

  override getIntegration(integrationId: string, options: CallOptions) {
    this.signals.push(options.signal);
    if (this.fault === 'throw') {
      throw new Error('connect ECONNREFUSED 10.0.0.7:5432 at /srv/secret/db.js:12');
    }
    if (this.fault === 'hang') return new Promise<never>(() => undefined);

    return super.getIntegration(integrationId, options);
  }
}

describe.each(transports)('provider failures $name', (transport) => {
  const provider = new FaultyProvider([censusIntegration()]);
  const { errors, logger } = recordingLogger();
  const context = new IntegrationContext({ providers: [provider] });
  const handler = createIntegrationsHandler({ context, logger, timeoutMs: 100 });
  let send: Send;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ send, close } = await transport.open(handler));
  });
  afterAll(() => close());

  it('returns 500 provider_error with an error id and logs the cause', async () => {
    provider.fault = 'throw';
    errors.length = 0;
    const response = await send(`${BASE}/${ids.census}`);
    const problem = await response.json();

    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(problem.code).toBe('provider_error');
    expect(problem.error_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(problem.detail).toBe(
      `The integration provider failed; quote error id ${problem.error_id} to the operator`,
    );
    expect(JSON.stringify(problem)).not.toContain('ECONNREFUSED');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.details?.error_id).toBe(problem.error_id);
    expect(String(errors[0]?.details?.error)).toContain('ECONNREFUSED');
  });

  it('returns 504 provider_timeout and aborts the provider signal', async () => {
    provider.fault = 'hang';
    const response = await send(`${BASE}/${ids.census}`);
    const problem = await response.json();

    expect(response.status).toBe(504);
    expect(problem.code).toBe('provider_timeout');
    expect(problem.detail).toBe('The integration provider did not answer within 100 ms');
    expect(provider.signals.at(-1)?.aborted).toBe(true);
  });

  it('keeps serving after a failure', async () => {
    provider.fault = 'none';
    const response = await send(`${BASE}/${ids.census}`);

    expect(response.status).toBe(200);
    expect(provider.signals.at(-1)?.aborted).toBe(false);
  });
});

describe('session resolution', () => {
  const contexts = new Map([
    ['alice', new IntegrationContext({ providers: [new InMemoryProvider({ slug: 'alice' })] })],
    ['bob', new IntegrationContext({ providers: [new InMemoryProvider({ slug: 'bob' })] })],
  ]);
  const handler = createIntegrationsHandler({
    resolveContext: (sessionId) => contexts.get(sessionId),
  });
  const get = (path: string) => handler(new Request(`http://localhost/beaker/integrations${path}`));

  it('serves each session from its own context', async () => {
    const alice = await (await get('/alice')).json();
    const bob = await (await get('/bob')).json();

    expect(alice.providers.map((info: { id: string }) => info.id)).toEqual(['memory:alice']);
    expect(bob.providers.map((info: { id: string }) => info.id)).toEqual(['memory:bob']);
  });

  it('returns 404 session_not_found for an unknown session', async () => {
    const response = await get('/mallory/anything');
    const problem = await response.json();

    expect(response.status).toBe(404);
    expect(problem.code).toBe('session_not_found');
    expect(problem.detail).toBe('Session "mallory" was not found');
  });
});

describe('createIntegrationsHandler options', () => {
  const context = new IntegrationContext({ providers: [] });

  it('rejects neither or both of context and resolveContext', () => {
    expect(() => createIntegrationsHandler({})).toThrow(
      'Give exactly one of `context` (one context for every session) or `resolveContext`',
    );
    expect(() => createIntegrationsHandler({ context, resolveContext: () => context })).toThrow(
      TypeError,
    );
  });

  it('rejects invalid limits and base paths', () => {
    expect(() => createIntegrationsHandler({ context, maxBodyBytes: 0 })).toThrow(
      '`maxBodyBytes` must be a positive integer, got 0',
    );
    expect(() => createIntegrationsHandler({ context, timeoutMs: -1 })).toThrow(
      '`timeoutMs` must be a positive number of milliseconds, got -1',
    );
    expect(() => createIntegrationsHandler({ context, basePath: 'api' })).toThrow(
      '`basePath` must start with "/", got "api"',
    );
  });

  it('serves routes under a custom base path', async () => {
    const handler = createIntegrationsHandler({ context, basePath: '/api/v1/' });
    const response = await handler(new Request('http://localhost/api/v1/s1'));
    const outside = await handler(new Request('http://localhost/beaker/integrations/s1'));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ integrations: {}, providers: [] });
    expect(outside.status).toBe(404);
  });
});
