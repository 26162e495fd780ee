/**
 * {@link InMemoryProvider}: a mutable provider that keeps its integrations in memory.
 *
 * @module
 */
import { copyData } from './copy.js';
import {
  IntegrationExistsError,
  IntegrationNotFoundError,
  ResourceExistsError,
  ResourceNotFoundError,
} from './errors.js';
import type { CallOptions, MutableIntegrationProvider } from './provider.js';
import {
  BUILT_IN_RESOURCE_KINDS,
  generateId,
  type Integration,
  type IntegrationCreate,
  type IntegrationCreateInput,
  IntegrationCreateSchema,
  IntegrationSchema,
  type IntegrationUpdate,
  type Resource,
  type ResourceCreate,
  type ResourceKinds,
  type ResourceUpdate,
  resourceSchema,
} from './schemas.js';
import { parseOrThrow } from './validation.js';

/** Options of {@link InMemoryProvider}. */
export interface InMemoryProviderOptions {
  /** Second half of the provider id. */
  slug: string;
  /** Name shown to people. @default the slug */
  displayName?: string;
  /** First half of the provider id. @default 'memory' */
  providerType?: string;
  /** Integrations to start with, in the create-payload form; their `provider` is overwritten. */
  integrations?: readonly IntegrationCreateInput[];
  /** Extra resource kinds, keyed by `resource_type`. */
  resourceKinds?: ResourceKinds;
}

interface StoredIntegration {
  /** The integration's own fields; its `resources` member is unused and kept empty. */
  fields: Integration;
  resources: Map<string, Resource>;
}

const IDENTITY_FIELDS = ['uuid', 'provider', 'resources'] as const;
const RESOURCE_IDENTITY_FIELDS = ['resource_id', 'integration', 'resource_type'] as const;

function without<T extends object>(value: T, keys: readonly string[]): Partial<T> {
  const copy = { ...value } as Record<string, unknown>;
  for (const key of keys) delete copy[key];

  return copy as Partial<T>;
}

/**
 * A mutable provider that keeps everything in memory, for tests, demos and ad-hoc integrations.
 * Values are deep-copied in and out, as `structuredClone` would copy them, so a caller that changes
 * a returned object does not change the stored one.
 *
 * @example
 * ```ts
 * const scratch = new InMemoryProvider({
 *   slug: 'scratch',
 *   integrations: [{ name: 'Weather API', description: 'Forecasts by city' }],
 * });
 * ```
 */
export class InMemoryProvider implements MutableIntegrationProvider {
  readonly providerType: string;
  readonly slug: string;
  readonly displayName: string;
  readonly resourceKinds: ResourceKinds;
  readonly #integrations = new Map<string, StoredIntegration>();

  /** @throws {ValidationError} when a starting integration is invalid. */
  constructor(options: InMemoryProviderOptions) {
    this.providerType = options.providerType ?? 'memory';
    this.slug = options.slug;
    this.displayName = options.displayName ?? options.slug;
    this.resourceKinds = { ...BUILT_IN_RESOURCE_KINDS, ...options.resourceKinds };
    for (const integration of options.integrations ?? []) {
      this.#store(parseOrThrow(IntegrationCreateSchema, integration, 'integration'));
    }
  }

  /** The id `<providerType>:<slug>`. */
  get id(): string {
    return `${this.providerType}:${this.slug}`;
  }

  listIntegrations(_options?: CallOptions): Integration[] {
    return [...this.#integrations.values()].map((stored) => this.#toIntegration(stored));
  }

  getIntegration(integrationId: string, _options?: CallOptions): Integration {
    return this.#toIntegration(this.#find(integrationId));
  }

  listResources(integrationId: string, resourceType?: string, _options?: CallOptions): Resource[] {
    const resources = [...this.#find(integrationId).resources.values()];
    const selected =
      resourceType === undefined
        ? resources
        : resources.filter((resource) => resource.resource_type === resourceType);

    return copyData(selected);
  }

  getResource(integrationId: string, resourceId: string, _options?: CallOptions): Resource {
    return copyData(this.#findResource(integrationId, resourceId));
  }

  addIntegration(
    payload: IntegrationCreateInput | IntegrationCreate,
    _options?: CallOptions,
  ): Integration {
    const parsed = parseOrThrow(IntegrationCreateSchema, payload, 'integration');
    if (this.#integrations.has(parsed.uuid)) throw new IntegrationExistsError(parsed.uuid);

    return this.#toIntegration(this.#store(parsed));
  }

  updateIntegration(
    integrationId: string,
    payload: IntegrationUpdate,
    _options?: CallOptions,
  ): Integration {
    const stored = this.#find(integrationId);
    const merged = {
      ...stored.fields,
      ...copyData(without(payload, IDENTITY_FIELDS)),
      uuid: stored.fields.uuid,
      provider: this.id,
      resources: {},
    };
    stored.fields = parseOrThrow(IntegrationSchema, merged, 'integration');

    return this.#toIntegration(stored);
  }

  removeIntegration(integrationId: string, _options?: CallOptions): void {
    if (!this.#integrations.delete(integrationId)) {
      throw new IntegrationNotFoundError(integrationId);
    }
  }

  addResource(
    integrationId: string,
    payload: ResourceCreate | Omit<ResourceCreate, 'resource_id'>,
    _options?: CallOptions,
  ): Resource {
    const stored = this.#find(integrationId);
    const copy = copyData(payload) as Record<string, unknown>;
    const resource = this.#parseResource({
      ...copy,
      resource_id: copy.resource_id ?? generateId(),
      integration: integrationId,
    });
    if (stored.resources.has(resource.resource_id)) {
      throw new ResourceExistsError(integrationId, resource.resource_id);
    }
    stored.resources.set(resource.resource_id, resource);

    return copyData(resource);
  }

  updateResource(
    integrationId: string,
    resourceId: string,
    payload: ResourceUpdate,
    _options?: CallOptions,
  ): Resource {
    const stored = this.#find(integrationId);
    const current = this.#findResource(integrationId, resourceId);
    const resource = this.#parseResource({
      ...current,
      ...copyData(without(payload, RESOURCE_IDENTITY_FIELDS)),
    });
    stored.resources.set(resourceId, resource);

    return copyData(resource);
  }

  removeResource(integrationId: string, resourceId: string, _options?: CallOptions): void {
    if (!this.#find(integrationId).resources.delete(resourceId)) {
      throw new ResourceNotFoundError(integrationId, resourceId);
    }
  }

  #store(payload: IntegrationCreate): StoredIntegration {
    const { resources = {}, provider: _provider, ...rest } = copyData(payload);
    const fields = parseOrThrow(
      IntegrationSchema,
      { ...rest, provider: this.id, resources: {} },
      'integration',
    );
    const stored: StoredIntegration = { fields, resources: new Map() };
    for (const [key, value] of Object.entries(resources)) {
      const resource = this.#parseResource({
        resource_id: key,
        ...value,
        integration: fields.uuid,
      });
      stored.resources.set(resource.resource_id, resource);
    }
    this.#integrations.set(fields.uuid, stored);

    return stored;
  }

  #parseResource(value: Record<string, unknown>): Resource {
    const type = typeof value.resource_type === 'string' ? value.resource_type : '';

    return parseOrThrow(resourceSchema(this.resourceKinds, type), value, 'resource') as Resource;
  }

  #find(integrationId: string): StoredIntegration {
    const stored = this.#integrations.get(integrationId);
    if (stored === undefined) throw new IntegrationNotFoundError(integrationId);

    return stored;
  }

  #findResource(integrationId: string, resourceId: string): Resource {
    const resource = this.#find(integrationId).resources.get(resourceId);
    if (resource === undefined) throw new ResourceNotFoundError(integrationId, resourceId);

    return resource;
  }

  #toIntegration(stored: StoredIntegration): Integration {
    // `fields.resources` is kept empty, so copying the fields first does not copy resources twice.
    const integration = copyData(stored.fields);
    integration.resources = copyData(Object.fromEntries(stored.resources));

    return integration;
  }
}
