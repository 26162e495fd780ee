/**
 * {@link InMemoryProvider}: a mutable provider that keeps its integrations in memory.
 *
 * @module
 */
import { copyData, freezeData } from './copy.js';
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

/** A stored value, deep-frozen as far as freezing goes. */
interface Snapshot<T> {
  value: T;
  /** Whether freezing made `value` wholly immutable, so that reads may return it as it is. */
  immutable: boolean;
}

interface StoredIntegration {
  /** The integration's own fields; their `resources` member is unused and kept empty. */
  fields: Snapshot<Integration>;
  resources: Map<string, Snapshot<Resource>>;
  /**
   * The fields with every resource, as reads return it. Writes clear it and the next read
   * rebuilds it, so a run of resource writes does not rebuild it each time.
   */
  whole: Snapshot<Integration> | undefined;
}

const IDENTITY_FIELDS = ['uuid', 'provider', 'resources'] as const;
const RESOURCE_IDENTITY_FIELDS = ['resource_id', 'integration', 'resource_type'] as const;

function without<T extends object>(value: T, keys: readonly string[]): Partial<T> {
  const copy = { ...value } as Record<string, unknown>;
  for (const key of keys) delete copy[key];

  return copy as Partial<T>;
}

function snapshot<T>(value: T): Snapshot<T> {
  return { value, immutable: freezeData(value) };
}

/** Returns a stored value to a caller: the frozen value itself, or a copy if freezing fell short. */
function share<T>(stored: Snapshot<T>): T {
  return stored.immutable ? stored.value : copyData(stored.value);
}

/**
 * A mutable provider that keeps everything in memory, for tests, demos and ad-hoc integrations.
 *
 * Payloads are deep-copied in, as `structuredClone` would copy them, and each stored integration
 * and resource is deep-frozen. Reads return those frozen values themselves, in fresh arrays, so a
 * listing costs no copy. Copy a result with `structuredClone` before changing it: changing a frozen
 * object throws a `TypeError` in strict mode and does nothing otherwise, so the stored data cannot
 * change through a returned value either way.
 *
 * Note: freezing cannot protect objects other than plain objects and arrays, such as a `Date` or a
 * `Map` in a provider-defined field. An integration or resource that contains one is returned as a
 * deep copy instead, not frozen.
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
    return Array.from(this.#integrations.values(), (stored) => share(whole(stored)));
  }

  getIntegration(integrationId: string, _options?: CallOptions): Integration {
    return share(whole(this.#find(integrationId)));
  }

  listResources(integrationId: string, resourceType?: string, _options?: CallOptions): Resource[] {
    const resources: Resource[] = [];
    for (const stored of this.#find(integrationId).resources.values()) {
      if (resourceType === undefined || stored.value.resource_type === resourceType) {
        resources.push(share(stored));
      }
    }

    return resources;
  }

  getResource(integrationId: string, resourceId: string, _options?: CallOptions): Resource {
    return share(this.#findResource(integrationId, resourceId));
  }

  addIntegration(
    payload: IntegrationCreateInput | IntegrationCreate,
    _options?: CallOptions,
  ): Integration {
    const parsed = parseOrThrow(IntegrationCreateSchema, payload, 'integration');
    if (this.#integrations.has(parsed.uuid)) throw new IntegrationExistsError(parsed.uuid);

    return share(whole(this.#store(parsed)));
  }

  updateIntegration(
    integrationId: string,
    payload: IntegrationUpdate,
    _options?: CallOptions,
  ): Integration {
    const stored = this.#find(integrationId);
    const merged = {
      ...stored.fields.value,
      ...copyData(without(payload, IDENTITY_FIELDS)),
      uuid: stored.fields.value.uuid,
      provider: this.id,
      resources: {},
    };
    stored.fields = snapshot(parseOrThrow(IntegrationSchema, merged, 'integration'));
    stored.whole = undefined;

    return share(whole(stored));
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

    return share(this.#putResource(stored, resource));
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
      ...current.value,
      ...copyData(without(payload, RESOURCE_IDENTITY_FIELDS)),
    });

    return share(this.#putResource(stored, resource));
  }

  removeResource(integrationId: string, resourceId: string, _options?: CallOptions): void {
    const stored = this.#find(integrationId);
    if (!stored.resources.delete(resourceId)) {
      throw new ResourceNotFoundError(integrationId, resourceId);
    }
    stored.whole = undefined;
  }

  #store(payload: IntegrationCreate): StoredIntegration {
    const { resources = {}, provider: _provider, ...rest } = copyData(payload);
    const fields = parseOrThrow(
      IntegrationSchema,
      { ...rest, provider: this.id, resources: {} },
      'integration',
    );
    const storedResources = new Map<string, Snapshot<Resource>>();
    for (const [key, value] of Object.entries(resources)) {
      const resource = this.#parseResource({
        resource_id: key,
        ...value,
        integration: fields.uuid,
      });
      storedResources.set(resource.resource_id, snapshot(resource));
    }
    const stored: StoredIntegration = {
      fields: snapshot(fields),
      resources: storedResources,
      whole: undefined,
    };
    this.#integrations.set(fields.uuid, stored);

    return stored;
  }

  /** Stores a new version of a resource. */
  #putResource(stored: StoredIntegration, resource: Resource): Snapshot<Resource> {
    const frozen = snapshot(resource);
    stored.resources.set(resource.resource_id, frozen);
    stored.whole = undefined;

    return frozen;
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

  #findResource(integrationId: string, resourceId: string): Snapshot<Resource> {
    const resource = this.#find(integrationId).resources.get(resourceId);
    if (resource === undefined) throw new ResourceNotFoundError(integrationId, resourceId);

    return resource;
  }
}

/**
 * Returns the frozen integration that reads return, the fields with every resource, and builds it
 * after a write. The fields and resources are frozen already, so only two new objects need freezing.
 */
function whole(stored: StoredIntegration): Snapshot<Integration> {
  if (stored.whole !== undefined) return stored.whole;

  const { fields, resources } = stored;
  let immutable = fields.immutable;
  // `Object.fromEntries` defines each key as an own field, `__proto__` included.
  const byId = Object.fromEntries(
    Array.from(resources, ([resourceId, resource]) => {
      if (!resource.immutable) immutable = false;

      return [resourceId, resource.value];
    }),
  );
  const value = { ...fields.value, resources: Object.freeze(byId) };
  stored.whole = { value: Object.freeze(value), immutable };

  return stored.whole;
}
