import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createIntegrationsClient,
  getEtag,
  type IntegrationsClient,
  isIntegrationsApiError,
} from '../../src/client/index.js';
import { InMemoryProvider, IntegrationContext } from '../../src/core/index.js';
import type { IntegrationsHandlerOptions } from '../../src/server/index.js';
import {
  BASE_PATH,
  memoryLogger,
  ReadOnlyProvider,
  recordingFetch,
  type SentRequest,
  seedIntegrations,
  WEATHER_ID,
} from './helpers.js';

/** Serves the handler options somewhere and returns the `baseUrl` a client should call. */
export interface Transport {
  start(options: Omit<IntegrationsHandlerOptions, 'basePath'>): Promise<string>;
  stop(): Promise<void>;
}

const WEATHER_PATH = `${BASE_PATH}/s1/weather%2Fapi%20v1`;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('Expected the call to reject'),
    (error: unknown) => error,
  );
}

/** Runs every client method against the real handler, served by `transport`. */
export function describeClientRoutes(name: string, transport: Transport): void {
  describe(name, () => {
    let scratch: InMemoryProvider;
    let client: IntegrationsClient;
    let sent: SentRequest[];

    beforeEach(async () => {
      scratch = new InMemoryProvider({
        slug: 'scratch',
        displayName: 'Scratch',
        integrations: seedIntegrations(),
      });
      const other = new InMemoryProvider({
        slug: 'other',
        integrations: [{ uuid: 'other-1', name: 'Other' }],
      });
      const contexts = new Map([
        ['s1', new IntegrationContext({ providers: [scratch, new ReadOnlyProvider()] })],
        ['s2', new IntegrationContext({ providers: [other] })],
      ]);
      const baseUrl = await transport.start({
        resolveContext: (sessionId) => contexts.get(sessionId),
        logger: memoryLogger(),
      });
      sent = [];
      client = createIntegrationsClient({ baseUrl, sessionId: 's1', fetch: recordingFetch(sent) });
    });

    afterEach(() => transport.stop());

    it('listIntegrations sends GET /{session} and returns integrations and providers', async () => {
      const list = await client.listIntegrations();

      expect(sent.map(({ method, path }) => `${method} ${path}`)).toEqual([`GET ${BASE_PATH}/s1`]);
      expect(Object.keys(list.integrations).sort()).toEqual(['docs-index', WEATHER_ID]);
      expect(list.integrations[WEATHER_ID]?.provider).toBe('memory:scratch');
      expect(list.providers.map((provider) => provider.id)).toEqual([
        'memory:scratch',
        'static:docs',
      ]);
    });

    it('listProviders returns the provider descriptions', async () => {
      expect(await client.listProviders()).toEqual([
        {
          id: 'memory:scratch',
          display_name: 'Scratch',
          provider_type: 'memory',
          slug: 'scratch',
          mutable: true,
        },
        {
          id: 'static:docs',
          display_name: 'Documentation',
          provider_type: 'static',
          slug: 'docs',
          mutable: false,
        },
      ]);
    });

    it('getIntegration percent-encodes the id and records the ETag', async () => {
      const integration = await client.getIntegration(WEATHER_ID);

      expect(sent[0]?.method).toBe('GET');
      expect(sent[0]?.path).toBe(WEATHER_PATH);
      expect(integration.uuid).toBe(WEATHER_ID);
      expect(integration.name).toBe('Weather API');
      expect(Object.keys(integration.resources).sort()).toEqual(['first-query', 'readme.md']);
      expect(getEtag(integration)).toMatch(/^"[^"]+"$/);
    });

    it('listResources sends `all` without a type and the type when given', async () => {
      const all = await client.listResources(WEATHER_ID);
      const examples = await client.listResources(WEATHER_ID, 'example');

      expect(sent.map((request) => request.path)).toEqual([
        `${WEATHER_PATH}/all`,
        `${WEATHER_PATH}/example`,
      ]);
      expect(all.map((resource) => resource.resource_id).sort()).toEqual([
        'first-query',
        'readme.md',
      ]);
      expect(examples.map((resource) => resource.resource_id)).toEqual(['first-query']);
      expect(examples[0]?.resource_type).toBe('example');
    });

    it('getResource sends `any` as the type segment', async () => {
      const resource = await client.getResource(WEATHER_ID, 'readme.md');

      expect(sent[0]?.path).toBe(`${WEATHER_PATH}/any/readme.md`);
      expect(resource).toMatchObject({
        resource_type: 'file',
        resource_id: 'readme.md',
        integration: WEATHER_ID,
        name: 'README',
        content: '# Weather',
      });
      expect(getEtag(resource)).toMatch(/^"[^"]+"$/);
    });

    it('addIntegration posts JSON with the provider in the body', async () => {
      const created = await client.addIntegration('memory:scratch', { name: 'Stock prices' });

      expect(sent[0]?.method).toBe('POST');
      expect(sent[0]?.path).toBe(`${BASE_PATH}/s1`);
      expect(sent[0]?.contentType).toBe('application/json');
      expect(JSON.parse(sent[0]?.body ?? '')).toEqual({
        name: 'Stock prices',
        provider: 'memory:scratch',
      });
      expect(created.provider).toBe('memory:scratch');
      expect(created.slug).toBe('stock_prices');
      expect(scratch.getIntegration(created.uuid).name).toBe('Stock prices');
      expect(getEtag(created)).toMatch(/^"[^"]+"$/);
    });

    it('updateIntegration posts the changed fields', async () => {
      const updated = await client.updateIntegration(WEATHER_ID, { description: 'Hourly' });

      expect(sent[0]?.method).toBe('POST');
      expect(sent[0]?.path).toBe(WEATHER_PATH);
      expect(JSON.parse(sent[0]?.body ?? '')).toEqual({ description: 'Hourly' });
      expect(updated.description).toBe('Hourly');
      expect(scratch.getIntegration(WEATHER_ID).description).toBe('Hourly');
    });

    it('updateIntegration sends `ifMatch` as If-Match and succeeds while current', async () => {
      const current = await client.getIntegration(WEATHER_ID);
      const etag = getEtag(current);
      const updated = await client.updateIntegration(
        WEATHER_ID,
        { name: 'Weather' },
        { ifMatch: etag },
      );

      expect(sent[1]?.ifMatch).toBe(etag);
      expect(updated.name).toBe('Weather');
      expect(getEtag(updated)).not.toBe(etag);
    });

    it('updateIntegration with a stale `ifMatch` rejects with 412', async () => {
      const stale = getEtag(await client.getIntegration(WEATHER_ID));
      const changed = await client.updateIntegration(WEATHER_ID, { name: 'Changed' });
      const error = await rejection(
        client.updateIntegration(WEATHER_ID, { name: 'Lost update' }, { ifMatch: stale }),
      );

      expect(isIntegrationsApiError(error, 'precondition_failed')).toBe(true);
      if (!isIntegrationsApiError(error, 'precondition_failed')) return;
      expect(error.status).toBe(412);
      expect(error.problem.etag).toBe(getEtag(changed));
      expect(scratch.getIntegration(WEATHER_ID).name).toBe('Changed');
    });

    it('removeIntegration sends DELETE and resolves to undefined', async () => {
      const result = await client.removeIntegration(WEATHER_ID);

      expect(sent[0]?.method).toBe('DELETE');
      expect(sent[0]?.path).toBe(WEATHER_PATH);
      expect(result).toBeUndefined();
      expect(() => scratch.getIntegration(WEATHER_ID)).toThrow(/was not found/);
    });

    it('removeIntegration with a stale `ifMatch` keeps the integration', async () => {
      const error = await rejection(client.removeIntegration(WEATHER_ID, { ifMatch: '"stale"' }));

      expect(isIntegrationsApiError(error)).toBe(true);
      expect((error as { status: number }).status).toBe(412);
      expect(scratch.getIntegration(WEATHER_ID).uuid).toBe(WEATHER_ID);
    });

    it('addResource posts to `new` with resource_type in the body', async () => {
      const created = await client.addResource(WEATHER_ID, {
        resource_type: 'example',
        query: 'Forecast for Lima',
        code: 'weather.forecast("Lima")',
      });

      expect(sent[0]?.method).toBe('POST');
      expect(sent[0]?.path).toBe(`${WEATHER_PATH}/new`);
      expect(JSON.parse(sent[0]?.body ?? '').resource_type).toBe('example');
      expect(created).toMatchObject({
        resource_type: 'example',
        integration: WEATHER_ID,
        query: 'Forecast for Lima',
      });
      expect(scratch.getResource(WEATHER_ID, created.resource_id).resource_type).toBe('example');
    });

    it('updateResource posts to `new/{resource_id}` with If-Match', async () => {
      const current = await client.getResource(WEATHER_ID, 'first-query');
      const updated = await client.updateResource(
        WEATHER_ID,
        'first-query',
        { notes: 'Uses the city name' },
        { ifMatch: getEtag(current) },
      );

      expect(sent[1]?.method).toBe('POST');
      expect(sent[1]?.path).toBe(`${WEATHER_PATH}/new/first-query`);
      expect(sent[1]?.ifMatch).toBe(getEtag(current));
      expect(updated).toMatchObject({ resource_id: 'first-query', notes: 'Uses the city name' });
    });

    it('updateResource with a stale `ifMatch` rejects with 412', async () => {
      const error = await rejection(
        client.updateResource(WEATHER_ID, 'first-query', { notes: 'x' }, { ifMatch: '"old"' }),
      );

      expect(isIntegrationsApiError(error, 'precondition_failed')).toBe(true);
      expect(scratch.getResource(WEATHER_ID, 'first-query')).not.toHaveProperty('notes', 'x');
    });

    it('removeResource sends DELETE to `any/{resource_id}`', async () => {
      const result = await client.removeResource(WEATHER_ID, 'readme.md');

      expect(sent[0]?.method).toBe('DELETE');
      expect(sent[0]?.path).toBe(`${WEATHER_PATH}/any/readme.md`);
      expect(result).toBeUndefined();
      expect(scratch.listResources(WEATHER_ID).map((resource) => resource.resource_id)).toEqual([
        'first-query',
      ]);
    });

    it('removeResource with a stale `ifMatch` keeps the resource', async () => {
      const error = await rejection(
        client.removeResource(WEATHER_ID, 'readme.md', { ifMatch: '"old"' }),
      );

      expect(isIntegrationsApiError(error, 'precondition_failed')).toBe(true);
      expect(scratch.getResource(WEATHER_ID, 'readme.md').resource_id).toBe('readme.md');
    });

    it('withSession sends the other session id and keeps the original client', async () => {
      const second = client.withSession('s2');
      const list = await second.listIntegrations();
      await client.listIntegrations();

      expect(second.sessionId).toBe('s2');
      expect(Object.keys(list.integrations)).toEqual(['other-1']);
      expect(sent.map((request) => request.path)).toEqual([`${BASE_PATH}/s2`, `${BASE_PATH}/s1`]);
    });

    it('an id such as `__proto__` is an unknown integration', async () => {
      const error = await rejection(client.getIntegration('__proto__'));

      expect(isIntegrationsApiError(error, 'integration_not_found')).toBe(true);
      expect(sent[0]?.path).toBe(`${BASE_PATH}/s1/__proto__`);
    });
  });
}
