/** Data and providers shared by the hardening suites. */
import {
  type CallOptions,
  InMemoryProvider,
  type Integration,
  IntegrationContext,
  IntegrationNotFoundError,
  type IntegrationProvider,
  type Resource,
  ResourceNotFoundError,
} from '../../../src/core/index.js';

/** A read-only provider over a fixed list of integrations. */
export class ReadOnlyProvider implements IntegrationProvider {
  readonly providerType = 'catalog';
  readonly slug = 'public';
  readonly displayName = 'Public catalogue';
  readonly #integrations: Map<string, Integration>;

  constructor(integrations: Integration[]) {
    this.#integrations = new Map(
      integrations.map((integration) => [integration.uuid, integration]),
    );
  }

  listIntegrations(_options: CallOptions): Integration[] {
    return structuredClone([...this.#integrations.values()]);
  }

  getIntegration(integrationId: string, _options: CallOptions): Integration {
    return structuredClone(this.#find(integrationId));
  }

  listResources(integrationId: string, resourceType: string | undefined): Resource[] {
    const resources = Object.values(this.#find(integrationId).resources);

    return structuredClone(
      resources.filter(
        (resource) => resourceType === undefined || resource.resource_type === resourceType,
      ),
    );
  }

  getResource(integrationId: string, resourceId: string): Resource {
    const resources = this.#find(integrationId).resources;
    if (!Object.hasOwn(resources, resourceId)) {
      throw new ResourceNotFoundError(integrationId, resourceId);
    }

    return structuredClone(resources[resourceId]!);
  }

  #find(integrationId: string): Integration {
    const integration = this.#integrations.get(integrationId);
    if (integration === undefined) throw new IntegrationNotFoundError(integrationId);

    return integration;
  }
}

/** The mutable provider's id in {@link createFixtureContext}. */
export const SCRATCH = 'memory:scratch';
/** The read-only provider's id in {@link createFixtureContext}. */
export const CATALOG = 'catalog:public';

/**
 * Builds a context with a mutable in-memory provider holding `i1` (a file `r1` and an example
 * `ex1`) and a read-only provider holding `ro1`.
 */
export function createFixtureContext(): IntegrationContext {
  const scratch = new InMemoryProvider({
    slug: 'scratch',
    displayName: 'Scratch space',
    integrations: [
      {
        uuid: 'i1',
        name: 'Weather API',
        description: 'Forecasts by city',
        resources: {
          r1: { resource_type: 'file', name: 'usage.md', content: '# Usage' },
          ex1: { resource_type: 'example', query: 'Oslo tomorrow', code: "forecast('Oslo')" },
        },
      },
    ],
  });
  const catalog = new ReadOnlyProvider([
    {
      uuid: 'ro1',
      name: 'Census',
      description: 'Population tables',
      provider: CATALOG,
      slug: 'census',
      datatype: 'dataset',
      resources: {
        q1: {
          resource_type: 'example',
          resource_id: 'q1',
          integration: 'ro1',
          query: 'Median income',
          code: 'census.median()',
        },
      },
    },
  ]);

  return new IntegrationContext({ providers: [scratch, catalog] });
}
