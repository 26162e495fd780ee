import { describe, expect, it } from 'vitest';
import {
  type CallOptions,
  InMemoryProvider,
  type Integration,
  IntegrationContext,
} from '../../src/core/index.js';
import { createIntegrationsHandler } from '../../src/server/index.js';

/** An in-memory provider that keeps the options of each `getIntegration` call. */
class RecordingProvider extends InMemoryProvider {
  readonly received: CallOptions[] = [];

  override getIntegration(integrationId: string, options?: CallOptions): Integration {
    if (options !== undefined) this.received.push(options);

    return super.getIntegration(integrationId, options);
  }
}

function createFixture() {
  const provider = new RecordingProvider({
    slug: 'scratch',
    integrations: [{ uuid: 'weather', name: 'Weather API' }],
  });

  return { provider, context: new IntegrationContext({ providers: [provider] }) };
}

describe('call options', () => {
  it('give a fresh signal when the caller has none', async () => {
    const { provider, context } = createFixture();
    await context.getIntegration('weather');
    const [options] = provider.received;

    expect(options?.sessionId).toBe('');
    expect(options?.signal).toBeInstanceOf(AbortSignal);
    expect(options?.signal.aborted).toBe(false);
    expect(options?.signal).toBe(options?.signal);
  });

  it("pass the caller's signal and session id", async () => {
    const { provider, context } = createFixture();
    const controller = new AbortController();
    await context.getIntegration('weather', { signal: controller.signal, sessionId: 's1' });
    const [options] = provider.received;

    expect(options?.sessionId).toBe('s1');
    expect(options?.signal).toBe(controller.signal);
  });

  it('keep the signal when a provider spreads them', async () => {
    const { provider, context } = createFixture();
    const controller = new AbortController();
    await context.getIntegration('weather', { signal: controller.signal, sessionId: 's1' });

    expect({ ...provider.received[0] }).toEqual({ sessionId: 's1', signal: controller.signal });
  });

  it('carry an unaborted handler signal on success', async () => {
    const { provider, context } = createFixture();
    const handler = createIntegrationsHandler({ context, timeoutMs: 1_000 });
    const response = await handler(new Request('http://localhost/beaker/integrations/s1/weather'));
    const [options] = provider.received;

    expect(response.status).toBe(200);
    expect(options?.sessionId).toBe('s1');
    expect(options?.signal.aborted).toBe(false);
  });

  it('abort a signal read after the client left', async () => {
    const { provider, context } = createFixture();
    const handler = createIntegrationsHandler({ context });
    const client = new AbortController();
    client.abort(new Error('Closed the tab'));
    const request = new Request('http://localhost/beaker/integrations/s1/weather', {
      signal: client.signal,
    });
    // The provider below reads the signal, which is when the handler looks at the client.
    provider.getIntegration = (integrationId, options) => {
      provider.received.push(options as CallOptions);
      expect(options?.signal.aborted).toBe(true);

      return InMemoryProvider.prototype.getIntegration.call(provider, integrationId, options);
    };
    const response = await handler(request);

    expect(response.status).toBe(499);
    expect(await response.json()).toMatchObject({ code: 'request_aborted' });
  });
});
