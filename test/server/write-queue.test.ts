import { describe, expect, it } from 'vitest';
import {
  InMemoryProvider,
  IntegrationContext,
  type IntegrationUpdate,
} from '../../src/core/index.js';
import { createIntegrationsHandler } from '../../src/server/index.js';
import { ScriptedProvider } from './hardening/scripted-provider.js';

const URL_OF_WEATHER = 'http://localhost/beaker/integrations/s1/weather';

/** Creates a provider whose first update waits until the test opens a gate, and that logs updates. */
function createGatedProvider() {
  const provider = new ScriptedProvider({
    slug: 'scratch',
    integrations: [{ uuid: 'weather', name: 'Weather API' }],
  });
  const memory = new InMemoryProvider({
    slug: 'scratch',
    integrations: [{ uuid: 'weather', name: 'Weather API' }],
  });
  const updates: string[] = [];
  let openGate = (): void => undefined;
  const gate = new Promise<void>((resolve) => {
    openGate = resolve;
  });
  provider.script('updateIntegration', async (...args: unknown[]) => {
    const [integrationId, payload, options] = args as Parameters<typeof memory.updateIntegration>;
    updates.push(String((payload as IntegrationUpdate).name));
    if (updates.length === 1) await gate;

    return memory.updateIntegration(integrationId, payload, options);
  });
  provider.script('getIntegration', (...args: unknown[]) => {
    const [integrationId, options] = args as Parameters<typeof memory.getIntegration>;

    return memory.getIntegration(integrationId, options);
  });

  return { provider, updates, openGate, read: () => memory.getIntegration('weather') };
}

function update(name: string, signal?: AbortSignal): Request {
  return new Request(URL_OF_WEATHER, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
    signal,
  });
}

/** Waits 10 ms, so that the requests reach the write queue. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('write queue', () => {
  it('runs writes to one integration one at a time', async () => {
    const { provider, updates, openGate, read } = createGatedProvider();
    const handler = createIntegrationsHandler({
      context: new IntegrationContext({ providers: [provider] }),
    });

    const first = handler(update('First'));
    const second = handler(update('Second'));
    await settle();
    const startedBeforeGate = [...updates];
    openGate();

    expect(startedBeforeGate).toEqual(['First']);
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect(updates).toEqual(['First', 'Second']);
    expect(read().name).toBe('Second');
  });

  it('skips a queued write whose client went away', async () => {
    const { provider, updates, openGate, read } = createGatedProvider();
    const handler = createIntegrationsHandler({
      context: new IntegrationContext({ providers: [provider] }),
    });
    const client = new AbortController();

    const first = handler(update('First'));
    const second = handler(update('Second', client.signal));
    await settle();
    client.abort(new Error('Closed the tab'));
    openGate();
    const skipped = await second;

    expect((await first).status).toBe(200);
    expect(skipped.status).toBe(499);
    expect(await skipped.json()).toMatchObject({ code: 'request_aborted' });
    expect(updates).toEqual(['First']);
    expect(read().name).toBe('First');
  });

  it('skips a queued write that timed out while it waited', async () => {
    const { provider, updates, openGate, read } = createGatedProvider();
    const context = new IntegrationContext({ providers: [provider] });
    const patient = createIntegrationsHandler({ context, timeoutMs: 10_000 });
    const hasty = createIntegrationsHandler({ context, timeoutMs: 20 });

    const first = patient(update('First'));
    const second = hasty(update('Second'));
    const timedOut = await second;
    openGate();

    expect(timedOut.status).toBe(504);
    expect((await first).status).toBe(200);
    await settle();
    expect(updates).toEqual(['First']);
    expect(read().name).toBe('First');
  });
});
