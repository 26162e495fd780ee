import { InMemoryProvider, type IntegrationProvider } from 'beaker-integrations';
import { createIntegrationsClient } from 'beaker-integrations/client';
import { createMockHandlers } from 'beaker-integrations/client/mock';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIntegrationPicker } from './picker.js';

const baseUrl = 'http://notebook.test/beaker/integrations';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Serves a team provider with two integrations and an empty personal one, fresh per test. */
function serveProviders(): IntegrationProvider[] {
  const providers = [
    new InMemoryProvider({
      slug: 'team',
      displayName: 'Team',
      integrations: [
        { uuid: 'weather', name: 'Weather API' },
        { uuid: 'census', name: 'Census data', datatype: 'dataset' },
      ],
    }),
    new InMemoryProvider({ slug: 'personal', displayName: 'Personal' }),
  ];
  server.use(...createMockHandlers({ baseUrl, providers }));

  return providers;
}

function newPicker() {
  return createIntegrationPicker(createIntegrationsClient({ baseUrl, sessionId: 'notebook-1' }));
}

describe('integration picker', () => {
  it('groups integrations by provider, sorted by name', async () => {
    serveProviders();
    const groups = await newPicker().load();

    expect(groups.map((group) => group.provider.display_name)).toEqual(['Team', 'Personal']);
    expect(groups[0]?.integrations.map((integration) => integration.name)).toEqual([
      'Census data',
      'Weather API',
    ]);
    expect(groups[1]?.integrations).toEqual([]);
  });

  it('creates an integration on the chosen provider', async () => {
    serveProviders();
    const picker = newPicker();
    const [, personal] = picker.creatableProviders(await picker.load());
    const created = await picker.create(personal!.id, 'Stock prices');
    const groups = await picker.load();

    expect(created.provider).toBe('memory:personal');
    expect(groups[1]?.integrations.map((integration) => integration.name)).toEqual([
      'Stock prices',
    ]);
  });

  it('renames an opened integration', async () => {
    serveProviders();
    const picker = newPicker();
    const renamed = await picker.rename(await picker.open('weather'), 'Weather');

    expect(renamed.name).toBe('Weather');
  });

  it('keeps a concurrent edit and explains the conflict', async () => {
    serveProviders();
    const picker = newPicker();
    const opened = await picker.open('weather');
    await newPicker().rename(await newPicker().open('weather'), 'Renamed by a colleague');
    const error = await picker.rename(opened, 'Mine').catch((caught: unknown) => caught);
    const [team] = await picker.load();

    expect(picker.describeError(error)).toBe(
      'Someone else changed this integration; reload and try again.',
    );
    expect(team?.integrations.map((integration) => integration.name)).toContain(
      'Renamed by a colleague',
    );
  });

  it('names the failing fields of an invalid form', async () => {
    serveProviders();
    const picker = newPicker();
    const error = await picker.create('memory:team', '').catch((caught: unknown) => caught);

    expect(picker.describeError(error)).toBe('Check the form: name');
  });

  it('aborts an older load when a newer one starts', async () => {
    serveProviders();
    const picker = newPicker();
    const older = picker.load().catch((caught: unknown) => caught);
    const newer = await picker.load();

    expect(picker.describeError(await older)).toBe('Cancelled.');
    expect(newer).toHaveLength(2);
  });
});
