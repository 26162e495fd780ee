/**
 * Providers for the `verifyProvider` tests: correct ones that wrap an InMemoryProvider, and broken
 * ones that each override one method of a correct one with a realistic defect.
 */
import {
  type CallOptions,
  InMemoryProvider,
  type Integration,
  type IntegrationCreate,
  type IntegrationCreateInput,
  IntegrationNotFoundError,
  type IntegrationProvider,
  type IntegrationUpdate,
  type MutableIntegrationProvider,
  type Resource,
  type ResourceCreate,
  type ResourceUpdate,
  slugify,
} from '../../src/core/index.js';

/** Two integrations with fixed uuids, so that failure messages are predictable. */
export function seedIntegrations(): IntegrationCreateInput[] {
  return [
    {
      uuid: 'weather',
      name: 'Weather API',
      description: 'Forecasts by city',
      url: 'https://weather.example/api',
      resources: {
        readme: { resource_type: 'file', name: 'README.md', content: '# Weather API\n' },
        forecast: {
          resource_type: 'example',
          query: 'Forecast for Paris',
          code: 'get_forecast("Paris")',
        },
      },
    },
    { uuid: 'census', name: 'Census tables', datatype: 'dataset' },
  ];
}

/** Options of the forwarding providers. */
export interface ForwardingOptions {
  slug?: string;
  integrations?: IntegrationCreateInput[];
}

function memory(options: ForwardingOptions): InMemoryProvider {
  return new InMemoryProvider({
    slug: options.slug ?? 'contract',
    integrations: options.integrations ?? seedIntegrations(),
  });
}

/** Resolves after `ms` milliseconds, or rejects with the signal's reason when it fires first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** A read-only provider that forwards every read to an InMemoryProvider with seed data. */
export class ReadOnlyProvider implements IntegrationProvider {
  readonly inner: InMemoryProvider;
  readonly providerType: string;
  readonly slug: string;
  readonly displayName = 'Read-only contract provider';

  constructor(options: ForwardingOptions = {}) {
    this.inner = memory(options);
    this.providerType = this.inner.providerType;
    this.slug = this.inner.slug;
  }

  listIntegrations(options: CallOptions): Integration[] | Promise<Integration[]> {
    return this.inner.listIntegrations(options);
  }

  getIntegration(integrationId: string, options: CallOptions): Integration | Promise<Integration> {
    return this.inner.getIntegration(integrationId, options);
  }

  listResources(
    integrationId: string,
    resourceType: string | undefined,
    options: CallOptions,
  ): Resource[] | Promise<Resource[]> {
    return this.inner.listResources(integrationId, resourceType, options);
  }

  getResource(
    integrationId: string,
    resourceId: string,
    options: CallOptions,
  ): Resource | Promise<Resource> {
    return this.inner.getResource(integrationId, resourceId, options);
  }
}

/** A mutable provider that forwards every call to an InMemoryProvider with seed data. */
export class ForwardingProvider extends ReadOnlyProvider implements MutableIntegrationProvider {
  addIntegration(
    payload: IntegrationCreate,
    options: CallOptions,
  ): Integration | Promise<Integration> {
    return this.inner.addIntegration(payload, options);
  }

  updateIntegration(
    integrationId: string,
    payload: IntegrationUpdate,
    options: CallOptions,
  ): Integration | Promise<Integration> {
    return this.inner.updateIntegration(integrationId, payload, options);
  }

  removeIntegration(integrationId: string, options: CallOptions): void | Promise<void> {
    return this.inner.removeIntegration(integrationId, options);
  }

  addResource(
    integrationId: string,
    payload: ResourceCreate,
    options: CallOptions,
  ): Resource | Promise<Resource> {
    return this.inner.addResource(integrationId, payload, options);
  }

  updateResource(
    integrationId: string,
    resourceId: string,
    payload: ResourceUpdate,
    options: CallOptions,
  ): Resource | Promise<Resource> {
    return this.inner.updateResource(integrationId, resourceId, payload, options);
  }

  removeResource(
    integrationId: string,
    resourceId: string,
    options: CallOptions,
  ): void | Promise<void> {
    return this.inner.removeResource(integrationId, resourceId, options);
  }
}

/**
 * A mutable provider that honours cancellation: every call checks the signal first, and reads wait
 * `readLatencyMs` in a sleep that the signal interrupts.
 */
export class CancellableProvider extends ForwardingProvider {
  readonly supportsCancellation = true;
  readonly readLatencyMs: number;

  constructor(options: ForwardingOptions & { readLatencyMs?: number } = {}) {
    super(options);
    this.readLatencyMs = options.readLatencyMs ?? 0;
  }

  override async listIntegrations(options: CallOptions): Promise<Integration[]> {
    await sleep(this.readLatencyMs, options.signal);

    return super.listIntegrations(options);
  }

  override async getIntegration(integrationId: string, options: CallOptions): Promise<Integration> {
    await sleep(this.readLatencyMs, options.signal);

    return super.getIntegration(integrationId, options);
  }

  override async listResources(
    integrationId: string,
    resourceType: string | undefined,
    options: CallOptions,
  ): Promise<Resource[]> {
    await sleep(this.readLatencyMs, options.signal);

    return super.listResources(integrationId, resourceType, options);
  }

  override async getResource(
    integrationId: string,
    resourceId: string,
    options: CallOptions,
  ): Promise<Resource> {
    await sleep(this.readLatencyMs, options.signal);

    return super.getResource(integrationId, resourceId, options);
  }

  override addIntegration(payload: IntegrationCreate, options: CallOptions) {
    options.signal.throwIfAborted();

    return super.addIntegration(payload, options);
  }

  override addResource(integrationId: string, payload: ResourceCreate, options: CallOptions) {
    options.signal.throwIfAborted();

    return super.addResource(integrationId, payload, options);
  }
}

/** `providerType` contains the separator of the provider id. */
export class ColonInTypeProvider extends ForwardingProvider {
  override readonly providerType = 'memory:v2';
}

/** Has one write method, so the context silently treats it as read-only. */
export class HalfWritableProvider extends ReadOnlyProvider {
  addIntegration(payload: IntegrationCreate, options: CallOptions): Integration {
    return this.inner.addIntegration(payload, options);
  }
}

/** Lists integrations under another provider's id. */
export class ForeignIdProvider extends ForwardingProvider {
  override async listIntegrations(options: CallOptions): Promise<Integration[]> {
    const integrations = await super.listIntegrations(options);

    return integrations.map((integration) => ({ ...integration, provider: 'memory:other' }));
  }
}

/** Reads one integration with a different name than the list shows. */
export class RenamingReadProvider extends ForwardingProvider {
  override async getIntegration(integrationId: string, options: CallOptions): Promise<Integration> {
    const integration = await super.getIntegration(integrationId, options);

    return { ...integration, name: `${integration.name} (detail)` };
  }
}

/** Throws a plain Error for an unknown integration. */
export class GenericErrorProvider extends ForwardingProvider {
  override async getIntegration(integrationId: string, options: CallOptions): Promise<Integration> {
    try {
      return await super.getIntegration(integrationId, options);
    } catch {
      throw new Error(`No integration ${integrationId}`);
    }
  }
}

/** Looks integrations up in a plain object, so `constructor` finds `Object`. */
export class PlainObjectLookupProvider extends ForwardingProvider {
  override async getIntegration(integrationId: string, options: CallOptions): Promise<Integration> {
    const byId: Record<string, Integration> = {};
    for (const integration of await super.listIntegrations(options)) {
      byId[integration.uuid] = await super.getIntegration(integration.uuid, options);
    }
    const found = byId[integrationId];
    if (!found) throw new IntegrationNotFoundError(integrationId);

    return found;
  }
}

/** Returns `undefined` for an unknown resource instead of throwing. */
export class UndefinedResourceProvider extends ForwardingProvider {
  override async getResource(
    integrationId: string,
    resourceId: string,
    options: CallOptions,
  ): Promise<Resource> {
    try {
      return await super.getResource(integrationId, resourceId, options);
    } catch {
      return undefined as unknown as Resource;
    }
  }
}

/** Lists resources with the wrong parent uuid. */
export class WrongParentProvider extends ForwardingProvider {
  override async listResources(
    integrationId: string,
    resourceType: string | undefined,
    options: CallOptions,
  ): Promise<Resource[]> {
    const resources = await super.listResources(integrationId, resourceType, options);

    return resources.map((resource) => ({ ...resource, integration: 'someone-else' }));
  }
}

/** Ignores the resource type filter. */
export class UnfilteredProvider extends ForwardingProvider {
  override listResources(
    integrationId: string,
    _resourceType: string | undefined,
    options: CallOptions,
  ) {
    return super.listResources(integrationId, undefined, options);
  }
}

/** Returns the same object on every read, so a caller's change reaches the next caller. */
export class SharedObjectProvider extends ForwardingProvider {
  readonly #returned = new Map<string, Integration>();

  override async getIntegration(integrationId: string, options: CallOptions): Promise<Integration> {
    const cached = this.#returned.get(integrationId);
    if (cached !== undefined) return cached;
    // The in-memory provider returns frozen objects, so the defect keeps a mutable copy.
    const integration = structuredClone(await super.getIntegration(integrationId, options));
    this.#returned.set(integrationId, integration);

    return integration;
  }
}

/** Drops the resources that come with a new integration. */
export class DropsCreateResourcesProvider extends ForwardingProvider {
  override addIntegration(payload: IntegrationCreate, options: CallOptions) {
    const { resources: _resources, ...fields } = payload;

    return super.addIntegration(fields, options);
  }
}

/** Stores a file without its content. */
export class DropsContentProvider extends ForwardingProvider {
  override addResource(integrationId: string, payload: ResourceCreate, options: CallOptions) {
    return super.addResource(integrationId, { ...payload, content: undefined }, options);
  }
}

/** Treats an update as a replacement: `description` and `url` reset unless given. */
export class ReplacingUpdateProvider extends ForwardingProvider {
  override updateIntegration(
    integrationId: string,
    payload: IntegrationUpdate,
    options: CallOptions,
  ) {
    return super.updateIntegration(
      integrationId,
      { description: '', url: null, ...payload },
      options,
    );
  }
}

/** Resets an example's `notes` unless the update gives them. */
export class ReplacingResourceUpdateProvider extends ForwardingProvider {
  override updateResource(
    integrationId: string,
    resourceId: string,
    payload: ResourceUpdate,
    options: CallOptions,
  ) {
    return super.updateResource(integrationId, resourceId, { notes: null, ...payload }, options);
  }
}

/** Removes nothing, but reports success. */
export class NoOpRemoveProvider extends ForwardingProvider {
  override async removeIntegration(integrationId: string, options: CallOptions): Promise<void> {
    await super.getIntegration(integrationId, options);
  }
}

/** Treats a second remove of a resource as success. */
export class IdempotentRemoveProvider extends ForwardingProvider {
  override async removeResource(
    integrationId: string,
    resourceId: string,
    options: CallOptions,
  ): Promise<void> {
    try {
      await super.removeResource(integrationId, resourceId, options);
    } catch {
      // The defect under test: an unknown resource is ignored.
    }
  }
}

/** Derives resource ids from their content and overwrites on a match. */
export class ContentKeyedProvider extends ForwardingProvider {
  override async addResource(
    integrationId: string,
    payload: ResourceCreate,
    options: CallOptions,
  ): Promise<Resource> {
    const label = String(payload.query ?? payload.name ?? '');
    const resourceId = `${payload.resource_type}-${slugify(label)}`;
    const {
      resource_id: _id,
      integration: _integration,
      resource_type: _type,
      ...fields
    } = payload;
    const existing = await super.listResources(integrationId, undefined, options);
    if (existing.some((resource) => resource.resource_id === resourceId)) {
      return super.updateResource(integrationId, resourceId, fields, options);
    }

    return super.addResource(integrationId, { ...payload, resource_id: resourceId }, options);
  }
}

/** Replaces an integration whose uuid is taken instead of rejecting the create. */
export class OverwritingCreateProvider extends ForwardingProvider {
  override async addIntegration(payload: IntegrationCreate, options: CallOptions) {
    const existing = await super.listIntegrations(options);
    if (existing.some((integration) => integration.uuid === payload.uuid)) {
      await super.removeIntegration(payload.uuid, options);
    }

    return super.addIntegration(payload, options);
  }
}

/** Creates a missing integration on the fly when a resource is added to it. */
export class ImplicitParentProvider extends ForwardingProvider {
  override async addResource(
    integrationId: string,
    payload: ResourceCreate,
    options: CallOptions,
  ): Promise<Resource> {
    const existing = await super.listIntegrations(options);
    if (!existing.some((integration) => integration.uuid === integrationId)) {
      await super.addIntegration(
        {
          uuid: integrationId,
          name: integrationId,
          slug: integrationId,
          description: '',
          datatype: 'api',
        },
        options,
      );
    }

    return super.addResource(integrationId, payload, options);
  }
}

/**
 * Writes resources the way a careless file-backed provider does: reads the current list, waits for
 * the disk, then writes the list it read plus the new resource.
 */
export class LostUpdateProvider extends ForwardingProvider {
  override async addResource(
    integrationId: string,
    payload: ResourceCreate,
    options: CallOptions,
  ): Promise<Resource> {
    const snapshot = await super.listResources(integrationId, undefined, options);
    await sleep(1);
    for (const resource of await super.listResources(integrationId, undefined, options)) {
      await super.removeResource(integrationId, resource.resource_id, options);
    }
    for (const resource of snapshot)
      await super.addResource(integrationId, resource as ResourceCreate, options);

    return super.addResource(integrationId, payload, options);
  }
}

/** Drops fields that no schema defines when it stores a new integration. */
export class StrictFieldsProvider extends ForwardingProvider {
  override addIntegration(payload: IntegrationCreate, options: CallOptions) {
    const {
      uuid,
      name,
      description,
      slug,
      datatype,
      url,
      img_url,
      source,
      last_updated,
      resources,
    } = payload;
    const known = {
      uuid,
      name,
      description,
      slug,
      datatype,
      url,
      img_url,
      source,
      last_updated,
      resources,
    };

    return super.addIntegration(known, options);
  }
}

/** Says it supports cancellation but never looks at the signal. */
export class IgnoresSignalProvider extends ForwardingProvider {
  readonly supportsCancellation = true;
}

/**
 * Checks the signal before a slow read starts, but not while it waits, so an abort during the read
 * goes unnoticed for `readLatencyMs`.
 */
export class ChecksSignalOnceProvider extends CancellableProvider {
  override async listIntegrations(options: CallOptions): Promise<Integration[]> {
    options.signal.throwIfAborted();
    await sleep(this.readLatencyMs);

    return this.inner.listIntegrations(options);
  }
}

/** Keeps the resource object that `addResource` returned and serves it to later reads. */
export class KeepsAddedResourceProvider extends ForwardingProvider {
  readonly #added = new Map<string, Resource>();

  override async addResource(
    integrationId: string,
    payload: ResourceCreate,
    options: CallOptions,
  ): Promise<Resource> {
    // The in-memory provider returns frozen objects, so the defect keeps a mutable copy.
    const resource = structuredClone(await super.addResource(integrationId, payload, options));
    this.#added.set(`${integrationId}/${resource.resource_id}`, resource);

    return resource;
  }

  override async getResource(
    integrationId: string,
    resourceId: string,
    options: CallOptions,
  ): Promise<Resource> {
    return (
      this.#added.get(`${integrationId}/${resourceId}`) ??
      super.getResource(integrationId, resourceId, options)
    );
  }
}
