import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type CallOptions,
  InMemoryProvider,
  IntegrationContext,
  type IntegrationProvider,
  type IntegrationsError,
} from '../../src/core/index.js';
import { CatalogProvider, censusIntegration, createFixture, ids } from '../helpers/fixtures.js';

/** An in-memory provider that counts getIntegration calls. */
class CountingProvider extends InMemoryProvider {
  gets = 0;

  override getIntegration(integrationId: string, options?: CallOptions) {
    this.gets++;

    return super.getIntegration(integrationId, options);
  }
}

async function rejection(promise: Promise<unknown>): Promise<IntegrationsError> {
  try {
    await promise;
  } catch (error) {
    return error as IntegrationsError;
  }
  throw new Error('Expected the promise to reject');
}

describe('IntegrationContext', () => {
  it('rejects two providers with one id', () => {
    const make = () => new InMemoryProvider({ slug: 'same' });

    expect(() => new IntegrationContext({ providers: [make(), make()] })).toThrow(
      'Two providers share the id "memory:same"; give each a distinct `slug`',
    );
  });

  it('sends a call by id only to the owning provider once indexed', async () => {
    const providers = Array.from(
      { length: 10 },
      (_, index) =>
        new CountingProvider({
          slug: `p${index}`,
          integrations: [{ uuid: `i${index}`, name: `Integration ${index}` }],
        }),
    );
    const context = new IntegrationContext({ providers });
    await context.listIntegrations();

    await context.getIntegration('i7');

    expect(providers.map((provider) => provider.gets)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
  });

  it('finds an integration added behind its back', async () => {
    const { context, memory } = createFixture();
    await context.listIntegrations();
    memory.addIntegration({ uuid: 'late', name: 'Added directly' });

    expect((await context.getIntegration('late')).name).toBe('Added directly');
  });

  it('answers not found for an integration removed behind its back', async () => {
    const { context, memory } = createFixture();
    await context.listIntegrations();
    memory.removeIntegration(ids.weather);

    const error = await rejection(context.getIntegration(ids.weather));

    expect(error.code).toBe('integration_not_found');
  });

  it('forgets on listing an integration removed behind its back', async () => {
    const { context, memory } = createFixture();
    await context.listIntegrations();
    memory.removeIntegration(ids.weather);
    await context.listIntegrations();

    const created = await context.addIntegration('memory:scratch', {
      uuid: ids.weather,
      name: 'Weather again',
    });

    expect(created.uuid).toBe(ids.weather);
  });

  it('moves the index on listing when another provider takes a uuid', async () => {
    const first = new CountingProvider({ slug: 'first', integrations: [{ uuid: 'x', name: 'X' }] });
    const second = new CountingProvider({ slug: 'second' });
    const context = new IntegrationContext({ providers: [first, second] });
    await context.listIntegrations();
    first.removeIntegration('x');
    second.addIntegration({ uuid: 'x', name: 'X moved' });
    await context.listIntegrations();

    const moved = await context.getIntegration('x');

    expect(moved.name).toBe('X moved');
    expect(first.gets).toBe(0);
    expect(second.gets).toBe(1);
  });

  it('follows an integration that moved to another provider', async () => {
    const first = new InMemoryProvider({ slug: 'first', integrations: [{ uuid: 'x', name: 'X' }] });
    const second = new InMemoryProvider({ slug: 'second' });
    const context = new IntegrationContext({ providers: [first, second] });
    await context.getIntegration('x');
    first.removeIntegration('x');
    second.addIntegration({ uuid: 'x', name: 'X moved' });

    const moved = await context.getIntegration('x');

    expect(moved.provider).toBe('memory:second');
    expect(moved.name).toBe('X moved');
  });

  it('keeps the first of two integrations that share a uuid', async () => {
    const first = new InMemoryProvider({ slug: 'a', integrations: [{ uuid: 'dup', name: 'A' }] });
    const second = new InMemoryProvider({ slug: 'b', integrations: [{ uuid: 'dup', name: 'B' }] });
    const context = new IntegrationContext({ providers: [first, second] });

    const list = await context.listIntegrations();

    expect(Object.values(list).map((integration) => integration.name)).toEqual(['A']);
  });

  it('rejects a create whose uuid another provider holds', async () => {
    const { context } = createFixture();
    await context.listIntegrations();

    const error = await rejection(
      context.addIntegration('memory:scratch', { uuid: ids.census, name: 'Copy' }),
    );

    expect(error.code).toBe('integration_exists');
  });

  it('passes on checked in-memory values without a copy', async () => {
    const { context, memory } = createFixture();
    const integration = await context.getIntegration(ids.weather);
    const [resource] = await context.listResources(ids.weather);

    expect(integration).toBe(memory.getIntegration(ids.weather));
    expect(resource).toBe(memory.listResources(ids.weather)[0]);
  });

  it('checks in-memory values again for a provider with other resource kinds', async () => {
    const memory = new InMemoryProvider({
      slug: 'inner',
      integrations: [
        { uuid: 'db', name: 'Warehouse', resources: { t1: { resource_type: 'table' } } },
      ],
    });
    // Forwards every read to `memory`, but declares a `table` kind that requires `columns`.
    const stricter: IntegrationProvider = {
      providerType: 'strict',
      slug: 'tables',
      displayName: 'Tables',
      resourceKinds: { table: { columns: z.array(z.string()) } },
      listIntegrations: (options) => memory.listIntegrations(options),
      getIntegration: (integrationId, options) => memory.getIntegration(integrationId, options),
      listResources: (integrationId, type, options) =>
        memory.listResources(integrationId, type, options),
      getResource: (integrationId, resourceId, options) =>
        memory.getResource(integrationId, resourceId, options),
    };
    const context = new IntegrationContext({ providers: [stricter] });

    const error = await rejection(context.getResource('db', 't1'));

    expect(error.code).toBe('invalid_provider_response');
  });

  it('reports a provider that returns an invalid integration', async () => {
    const broken = new CatalogProvider([
      { ...censusIntegration(), datatype: 'spreadsheet' as 'api' },
    ]);
    const context = new IntegrationContext({ providers: [broken] });

    const error = await rejection(context.getIntegration(ids.census));

    expect(error.status).toBe(500);
    expect(error.code).toBe('invalid_provider_response');
    expect(error.message).toMatch(/^Provider "catalog:public" returned an invalid integration; /);
  });
});

describe('IntegrationContext.call', () => {
  it('calls context functions by camelCase or snake_case name', async () => {
    const { context } = createFixture();

    const list = (await context.call('context', 'list_integrations')) as Record<string, unknown>;
    const providers = await context.call('context', 'listProviders');

    expect(Object.keys(list)).toEqual([ids.weather, ids.census]);
    expect(providers).toEqual(context.listProviders());
  });

  it('passes the uuid of an integration target first', async () => {
    const { context } = createFixture();

    const resource = await context.call(`integration:${ids.weather}`, 'get_resource', [
      ids.weatherExample,
    ]);

    expect(resource).toMatchObject({ resource_id: ids.weatherExample, integration: ids.weather });
  });

  it('calls a provider method on a provider target', async () => {
    const { context } = createFixture();

    const list = (await context.call('provider:catalog:public', 'listIntegrations')) as unknown[];

    expect(list).toEqual([censusIntegration()]);
  });

  it('creates through a provider target with validation', async () => {
    const { context } = createFixture();

    const created = await context.call('provider:memory:scratch', 'add_integration', [
      { name: 'Sea ice extent' },
    ]);

    expect(created).toMatchObject({ slug: 'sea_ice_extent', provider: 'memory:scratch' });
  });

  it('rejects functions outside the provider interface', async () => {
    const { context } = createFixture();

    for (const name of ['constructor', 'toString', '__proto__', 'getProvider', 'call']) {
      const error = await rejection(context.call('context', name));
      expect(error.code).toBe('unknown_function');
    }
    const onProvider = await rejection(context.call('provider:memory:scratch', 'constructor'));
    expect(onProvider.code).toBe('unknown_function');
    const listOnIntegration = await rejection(
      context.call(`integration:${ids.weather}`, 'listIntegrations'),
    );
    expect(listOnIntegration.code).toBe('unknown_function');
  });

  it('rejects writes on a read-only provider target', async () => {
    const { context } = createFixture();

    const error = await rejection(
      context.call('provider:catalog:public', 'removeIntegration', [ids.census]),
    );

    expect(error.code).toBe('provider_read_only');
  });

  it('rejects an unknown target', async () => {
    const { context } = createFixture();

    const error = await rejection(context.call('kernel', 'listIntegrations'));

    expect(error.code).toBe('invalid_target');
    expect(error.status).toBe(400);
  });
});
