import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createIntegrationsClient,
  getEtag,
  ResponseValidationError,
} from '../../src/client/index.js';
import { createMockHandlers } from '../../src/client/mock.js';
import { InMemoryProvider, routeSchemas } from '../../src/core/index.js';
import { BASE_PATH, memoryLogger, seedIntegrations, WEATHER_ID } from './helpers.js';

const baseUrl = `http://integrations.test${BASE_PATH}`;
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  const scratch = new InMemoryProvider({ slug: 'scratch', integrations: seedIntegrations() });
  server.use(
    // A server that sends an integration without its name, which the schema requires.
    http.get(`${baseUrl}/s1/broken`, () =>
      HttpResponse.json({ uuid: 'broken', provider: 'memory:scratch', slug: 'broken' }),
    ),
    ...createMockHandlers({ baseUrl, providers: [scratch], logger: memoryLogger() }),
  );
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('Expected the call to reject'),
    (error: unknown) => error,
  );
}

describe('validateResponses', () => {
  const validating = createIntegrationsClient({
    baseUrl,
    sessionId: 's1',
    validateResponses: routeSchemas,
  });

  it('returns the parsed body with its ETag', async () => {
    const integration = await validating.getIntegration(WEATHER_ID);

    expect(integration.name).toBe('Weather API');
    expect(getEtag(integration)).toMatch(/^"[^"]+"$/);
  });

  it('parses every route that succeeds', async () => {
    const list = await validating.listIntegrations();
    const resources = await validating.listResources(WEATHER_ID, 'file');
    const created = await validating.addResource(WEATHER_ID, {
      resource_type: 'file',
      name: 'Notes',
    });
    await validating.removeResource(WEATHER_ID, created.resource_id);

    expect(Object.keys(list.integrations)).toEqual([WEATHER_ID]);
    expect(resources.map((resource) => resource.resource_id)).toEqual(['readme.md']);
    expect(created.resource_type).toBe('file');
  });

  it('throws ResponseValidationError naming the route and the field', async () => {
    const error = await rejection(validating.getIntegration('broken'));

    expect(error).toBeInstanceOf(ResponseValidationError);
    const validationError = error as ResponseValidationError;
    expect(validationError.route).toBe('getIntegration');
    expect(validationError.errors.map((field) => field.path)).toEqual(['name']);
    expect(validationError.message).toMatch(
      /^Response of getIntegration is invalid at `name`: Invalid input/,
    );
  });

  it('is off by default, so the body passes through unchecked', async () => {
    const trusting = createIntegrationsClient({ baseUrl, sessionId: 's1' });

    expect(await trusting.getIntegration('broken')).toEqual({
      uuid: 'broken',
      provider: 'memory:scratch',
      slug: 'broken',
    });
  });
});
