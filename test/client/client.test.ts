import ky from 'ky';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIntegrationsClient, isIntegrationsApiError } from '../../src/client/index.js';
import { createMockHandlers } from '../../src/client/mock.js';
import { InMemoryProvider } from '../../src/core/index.js';
import { BASE_PATH, memoryLogger, seedIntegrations, WEATHER_ID } from './helpers.js';

const baseUrl = `http://integrations.test${BASE_PATH}`;
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function useScratch(options: { requireToken?: string } = {}): InMemoryProvider {
  const scratch = new InMemoryProvider({ slug: 'scratch', integrations: seedIntegrations() });
  server.use(
    ...createMockHandlers({
      baseUrl,
      providers: [scratch],
      logger: memoryLogger(),
      ...(options.requireToken === undefined
        ? {}
        : {
            authorize: ({ request }) =>
              request.headers.get('authorization') === `Bearer ${options.requireToken}`,
          }),
    }),
  );

  return scratch;
}

/** Returns a fetch that records each URL and throws, so any request fails the test. */
function forbiddenFetch(sent: string[]) {
  return async (input: RequestInfo | URL): Promise<Response> => {
    sent.push(String(input instanceof Request ? input.url : input));
    throw new Error('The client sent a request it should have rejected');
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('Expected the call to reject'),
    (error: unknown) => error,
  );
}

describe('createIntegrationsClient', () => {
  it('throws TypeError for a missing baseUrl or sessionId', () => {
    expect(() => createIntegrationsClient({ baseUrl: '', sessionId: 's1' })).toThrow(
      new TypeError('`baseUrl` is missing or empty'),
    );
    expect(() => createIntegrationsClient({ baseUrl, sessionId: '' })).toThrow(
      new TypeError('`sessionId` is missing or empty'),
    );
  });

  it('withSession throws TypeError for an empty session id', () => {
    const client = createIntegrationsClient({ baseUrl, sessionId: 's1' });

    expect(() => client.withSession('')).toThrow(new TypeError('`sessionId` is missing or empty'));
  });

  it.each([
    ['getIntegration', (client: Client) => client.getIntegration('')],
    ['listResources', (client: Client) => client.listResources('')],
    ['listResources type', (client: Client) => client.listResources(WEATHER_ID, '')],
    ['getResource', (client: Client) => client.getResource(WEATHER_ID, '')],
    ['addIntegration', (client: Client) => client.addIntegration('', { name: 'X' })],
    ['updateIntegration', (client: Client) => client.updateIntegration('', { name: 'X' })],
    ['removeIntegration', (client: Client) => client.removeIntegration('')],
    ['addResource', (client: Client) => client.addResource('', { resource_type: 'note' })],
    ['updateResource', (client: Client) => client.updateResource(WEATHER_ID, '', {})],
    ['removeResource', (client: Client) => client.removeResource('', 'readme.md')],
  ])('%s rejects an empty id before sending anything', async (_name, call) => {
    const sent: string[] = [];
    const client = createIntegrationsClient({
      baseUrl,
      sessionId: 's1',
      fetch: forbiddenFetch(sent),
    });
    const error = await rejection(call(client));

    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/is missing or empty(, or a dot segment)?$/);
    expect(sent).toEqual([]);
  });

  it.each([
    ['removeResource', (client: Client) => client.removeResource(WEATHER_ID, '..')],
    ['updateResource', (client: Client) => client.updateResource(WEATHER_ID, '.', {})],
    ['getIntegration', (client: Client) => client.getIntegration('.')],
    ['removeIntegration', (client: Client) => client.removeIntegration('..')],
  ])('%s rejects a dot-segment id before sending anything', async (_name, call) => {
    const sent: string[] = [];
    const client = createIntegrationsClient({
      baseUrl,
      sessionId: 's1',
      fetch: forbiddenFetch(sent),
    });
    const error = await rejection(call(client));

    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/is missing or empty, or a dot segment$/);
    expect(sent).toEqual([]);
  });

  it('accepts a ky instance with an auth hook', async () => {
    useScratch({ requireToken: 'secret' });
    const authenticated = ky.create({
      hooks: {
        beforeRequest: [({ request }) => request.headers.set('authorization', 'Bearer secret')],
      },
    });
    const client = createIntegrationsClient({ baseUrl, sessionId: 's1', ky: authenticated });
    const anonymous = createIntegrationsClient({ baseUrl, sessionId: 's1' });

    expect(Object.keys((await client.listIntegrations()).integrations)).toEqual([WEATHER_ID]);
    expect(isIntegrationsApiError(await rejection(anonymous.listIntegrations()), 'forbidden')).toBe(
      true,
    );
  });

  it('accepts ky options and per-call headers', async () => {
    useScratch({ requireToken: 'per-call' });
    const client = createIntegrationsClient({ baseUrl, sessionId: 's1', ky: { timeout: 5000 } });
    const providers = await client.listProviders({
      headers: { authorization: 'Bearer per-call' },
    });

    expect(providers.map((provider) => provider.id)).toEqual(['memory:scratch']);
  });

  it('still throws API errors when ky options ask not to', async () => {
    useScratch();
    const client = createIntegrationsClient({
      baseUrl,
      sessionId: 's1',
      ky: { throwHttpErrors: false },
    });

    expect(isIntegrationsApiError(await rejection(client.getIntegration('missing')))).toBe(true);
  });

  it('accepts a base URL with a trailing slash', async () => {
    useScratch();
    const client = createIntegrationsClient({ baseUrl: `${baseUrl}/`, sessionId: 's1' });

    expect((await client.getIntegration(WEATHER_ID)).uuid).toBe(WEATHER_ID);
  });
});

type Client = ReturnType<typeof createIntegrationsClient>;
