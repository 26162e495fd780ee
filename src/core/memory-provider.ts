/**
 * {@link InMemoryProvider}: a mutable provider that keeps its integrations in memory.
 *
 * @module
 */
import { markChecked } from './checked-values.js';
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

/**
 * One stored integration. It keeps few objects, since a garbage collection marks each of them:
 * with 100,000 integrations, a wrapper object per stored value made a full collection take 405 ms
 * where this layout takes 283 ms (Node 20).
 */
interface StoredIntegration {
  /**
   * The integration as reads return it, deep-frozen, with its resources as they were when it was
   * last built. A resource write sets `resourcesChanged`, and the next read rebuilds it, so a run
   * of resource writes does not rebuild it each time.
   */
  integration: Integration;
  /** The resources by id, each deep-frozen. */
  resources: Map<string, Resource>;
  resourcesChanged: boolean;
  /** Whether freezing protected every field of the integration, resources aside. */
  fieldsProtected: boolean;
  /** Whether freezing protected all of `integration`, resources included. */
  protected: boolean;
}

const IDENTITY_FIELDS = ['uuid', 'provider', 'resources'] as const;
const RESOURCE_IDENTITY_FIELDS = ['resource_id', 'integration', 'resource_type'] as const;

/** Stored resources that contain objects that freezing cannot protect, which reads copy. */
const unprotectedResources = new WeakSet<Resource>();

function without<T extends object>(value: T, keys: readonly string[]): Partial<T> {
  const copy = { ...value } as Record<string, unknown>;
  for (const key of keys) delete copy[key];

  return copy as Partial<T>;
}

/**
 * Deep-freezes a resource to store, checked with `kinds`, and notes whether freezing protected it.
 * Only a protected value is marked as checked, since the context passes those on as they are.
 */
function freezeResource(resource: Resource, kinds: ResourceKinds): Resource {
  if (freezeData(resource)) markChecked(resource, kinds);
  else unprotectedResources.add(resource);

  return resource;
}

/** Returns a stored resource to a caller: the frozen value, or a copy if freezing fell short. */
function shareResource(resource: Resource): Resource {
  return unprotectedResources.has(resource) ? copyData(resource) : resource;
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
  /** The id, built once, so that every stored integration shares one string. */
  readonly #id: string;

  /** @throws {ValidationError} when a starting integration is invalid. */
  constructor(options: InMemoryProviderOptions) {
    this.providerType = options.providerType ?? 'memory';
    this.slug = options.slug;
    this.displayName = options.displayName ?? options.slug;
    this.resourceKinds = { ...BUILT_IN_RESOURCE_KINDS, ...options.resourceKinds };
    this.#id = `${this.providerType}:${this.slug}`;
    for (const integration of options.integrations ?? []) {
      this.#store(parseOrThrow(IntegrationCreateSchema, integration, 'integration'));
    }
  }

  /** The id `<providerType>:<slug>`. */
  get id(): string {
    return this.#id;
  }

  listIntegrations(_options?: CallOptions): Integration[] {
    return Array.from(this.#integrations.values(), (stored) => this.#share(stored));
  }

  getIntegration(integrationId: string, _options?: CallOptions): Integration {
    return this.#share(this.#find(integrationId));
  }

  listResources(integrationId: string, resourceType?: string, _options?: CallOptions): Resource[] {
    const resources: Resource[] = [];
    for (const stored of this.#find(integrationId).resources.values()) {
      if (resourceType === undefined || stored.resource_type === resourceType) {
        resources.push(shareResource(stored));
      }
    }

    return resources;
  }

  getResource(integrationId: string, resourceId: string, _options?: CallOptions): Resource {
    return shareResource(this.#findResource(integrationId, resourceId));
  }

  addIntegration(
    payload: IntegrationCreateInput | IntegrationCreate,
    _options?: CallOptions,
  ): Integration {
    const parsed = parseOrThrow(IntegrationCreateSchema, payload, 'integration');
    if (this.#integrations.has(parsed.uuid)) throw new IntegrationExistsError(parsed.uuid);

    return this.#share(this.#store(parsed));
  }

  updateIntegration(
    integrationId: string,
    payload: IntegrationUpdate,
    _options?: CallOptions,
  ): Integration {
    const stored = this.#find(integrationId);
    const merged = {
      ...stored.integration,
      ...copyData(without(payload, IDENTITY_FIELDS)),
      uuid: stored.integration.uuid,
      provider: this.#id,
      resources: {},
    };
    const fields = parseOrThrow(IntegrationSchema, merged, 'integration');
    stored.fieldsProtected = freezeData(fields);
    stored.integration = fields;
    stored.resourcesChanged = true;

    return this.#share(stored);
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

    return shareResource(this.#putResource(stored, resource));
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

    return shareResource(this.#putResource(stored, resource));
  }

  removeResource(integrationId: string, resourceId: string, _options?: CallOptions): void {
    const stored = this.#find(integrationId);
    if (!stored.resources.delete(resourceId)) {
      throw new ResourceNotFoundError(integrationId, resourceId);
    }
    stored.resourcesChanged = true;
  }

  #store(payload: IntegrationCreate): StoredIntegration {
    const { resources = {}, provider: _provider, ...rest } = copyData(payload);
    const fields = parseOrThrow(
      IntegrationSchema,
      { ...rest, provider: this.#id, resources: {} },
      'integration',
    );
    const storedResources = new Map<string, Resource>();
    for (const [key, value] of Object.entries(resources)) {
      const resource = this.#parseResource({
        resource_id: key,
        ...value,
        integration: fields.uuid,
      });
      storedResources.set(resource.resource_id, freezeResource(resource, this.resourceKinds));
    }
    const fieldsProtected = freezeData(fields);
    const stored: StoredIntegration = {
      integration: fields,
      resources: storedResources,
      resourcesChanged: true,
      fieldsProtected,
      protected: fieldsProtected,
    };
    this.#integrations.set(fields.uuid, stored);

    return stored;
  }

  /** Stores a new version of a resource. */
  #putResource(stored: StoredIntegration, resource: Resource): Resource {
    stored.resources.set(resource.resource_id, freezeResource(resource, this.resourceKinds));
    stored.resourcesChanged = true;

    return resource;
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

  /**
   * Returns a stored integration to a caller, rebuilt first when a resource changed: the frozen
   * value itself, or a copy if freezing fell short. The fields and resources are frozen already,
   * so a rebuild freezes only its two new objects.
   */
  #share(stored: StoredIntegration): Integration {
    if (stored.resourcesChanged) {
      let protectedAll = stored.fieldsProtected;
      // `Object.fromEntries` defines each key as an own field, `__proto__` included.
      const byId = Object.fromEntries(
        Array.from(stored.resources, ([resourceId, resource]) => {
          if (unprotectedResources.has(resource)) protectedAll = false;

          return [resourceId, resource];
        }),
      );
      const integration = { ...stored.integration, resources: Object.freeze(byId) };
      stored.integration = Object.freeze(integration);
      stored.protected = protectedAll;
      stored.resourcesChanged = false;
      if (protectedAll) markChecked(integration, this.resourceKinds);
    }

    return stored.protected ? stored.integration : copyData(stored.integration);
  }
}
