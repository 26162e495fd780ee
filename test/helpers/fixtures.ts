import {
  type CallOptions,
  InMemoryProvider,
  type Integration,
  IntegrationContext,
  IntegrationNotFoundError,
  type IntegrationProvider,
  type Resource,
  ResourceNotFoundError,
} from '../../src/core/index.js';

/** Ids of the fixture data, so that tests read as the data they use. */
export const ids = {
  weather: 'weather-0001',
  weatherExample: 'forecast-example',
  weatherDocs: 'weather-docs',
  census: 'census-0001',
  censusExample: 'median-income',
} as const;

/** A read-only provider over a fixed list, written from scratch as an author would. */
export class CatalogProvider implements IntegrationProvider {
  readonly providerType = 'catalog';
  readonly slug = 'public';
  readonly displayName = 'Public catalogue';
  readonly calls: string[] = [];
  readonly #integrations: Integration[];

  constructor(integrations: Integration[]) {
    this.#integrations = integrations;
  }

  listIntegrations(_options: CallOptions): Integration[] {
    this.calls.push('listIntegrations');

    return structuredClone(this.#integrations);
  }

  getIntegration(integrationId: string, _options: CallOptions): Integration | Promise<Integration> {
    this.calls.push(`getIntegration ${integrationId}`);

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
    const resource = this.#find(integrationId).resources[resourceId];
    if (resource === undefined) throw new ResourceNotFoundError(integrationId, resourceId);

    return structuredClone(resource);
  }

  #find(integrationId: string): Integration {
    const integration = this.#integrations.find((candidate) => candidate.uuid === integrationId);
    if (integration === undefined) throw new IntegrationNotFoundError(integrationId);

    return integration;
  }
}

/** The census integration that the read-only catalogue serves. */
export function censusIntegration(): Integration {
  return {
    uuid: ids.census,
    name: 'US Census ACS',
    description: 'American Community Survey 5-year estimates by county.',
    provider: 'catalog:public',
    slug: 'us_census_acs',
    datatype: 'dataset',
    url: 'https://api.census.gov/data/2022/acs/acs5',
    resources: {
      [ids.censusExample]: {
        resource_type: 'example',
        resource_id: ids.censusExample,
        integration: ids.census,
        query: 'Median household income in Travis County, Texas',
        code: "acs.get(['B19013_001E'], county='453', state='48')",
      },
    },
  };
}

/** A context with one mutable in-memory provider and one read-only catalogue. */
export function createFixture() {
  const memory = new InMemoryProvider({
    slug: 'scratch',
    displayName: 'Scratch space',
    integrations: [
      {
        uuid: ids.weather,
        name: 'Weather API',
        description: 'Seven-day forecasts by city.',
        datatype: 'api',
        url: 'https://weather.example.org/v1',
        resources: {
          [ids.weatherExample]: {
            resource_type: 'example',
            query: 'Tomorrow in Oslo',
            code: "client.forecast('Oslo', days=1)",
          },
          [ids.weatherDocs]: {
            resource_type: 'file',
            name: 'usage.md',
            filepath: 'usage.md',
            content: '# Usage\nCall /forecast with a city name.',
          },
        },
      },
    ],
  });
  const catalog = new CatalogProvider([censusIntegration()]);
  const context = new IntegrationContext({ providers: [memory, catalog] });

  return { memory, catalog, context };
}
