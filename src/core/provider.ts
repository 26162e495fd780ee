/**
 * The interfaces that a provider of integrations implements.
 *
 * @module
 */
import type {
  Integration,
  IntegrationCreate,
  IntegrationUpdate,
  Resource,
  ResourceCreate,
  ResourceKinds,
  ResourceUpdate,
} from './schemas.js';

/** A value, or a promise of it: every provider method may be synchronous or asynchronous. */
export type MaybePromise<T> = T | Promise<T>;

/** The last argument of every provider method. */
export interface CallOptions {
  /** Fires when the client goes away or the handler's `timeoutMs` runs out. */
  signal: AbortSignal;
  /** The session id from the request path. */
  sessionId: string;
}

/**
 * A source of integrations that can only be read.
 *
 * Methods throw {@link IntegrationNotFoundError} or {@link ResourceNotFoundError} for unknown ids;
 * any other error becomes a 500 with a generic message.
 */
export interface IntegrationProvider {
  /** First half of the provider id `<providerType>:<slug>`, such as `adhoc` or `filesystem`. */
  readonly providerType: string;
  /** Second half of the provider id; unique among providers of one type. */
  readonly slug: string;
  /** Name shown to people. */
  readonly displayName: string;
  /**
   * Fields of resource kinds that this provider adds to the built-in `file` and `example`,
   * keyed by `resource_type`.
   */
  readonly resourceKinds?: ResourceKinds;
  /**
   * Tells whether the provider's methods stop early when `options.signal` fires. Provider
   * contract checks only test cancellation when this is true.
   */
  readonly supportsCancellation?: boolean;

  /** Lists every integration; `resources` may be left empty. */
  listIntegrations(options: CallOptions): MaybePromise<Integration[]>;
  /** Returns one integration with its resources. */
  getIntegration(integrationId: string, options: CallOptions): MaybePromise<Integration>;
  /** Lists an integration's resources, only those of `resourceType` when it is given. */
  listResources(
    integrationId: string,
    resourceType: string | undefined,
    options: CallOptions,
  ): MaybePromise<Resource[]>;
  /** Returns one resource of an integration. */
  getResource(
    integrationId: string,
    resourceId: string,
    options: CallOptions,
  ): MaybePromise<Resource>;
}

/**
 * A provider whose integrations and resources can also be created, changed and removed.
 *
 * Payloads arrive parsed: ids are filled in and identity fields (`uuid`, `provider`,
 * `resource_id`, `integration`, `resource_type`) already checked against the current values.
 * Creates throw {@link IntegrationExistsError} or {@link ResourceExistsError} for a taken id.
 */
export interface MutableIntegrationProvider extends IntegrationProvider {
  /** Stores a new integration and returns it as stored. */
  addIntegration(payload: IntegrationCreate, options: CallOptions): MaybePromise<Integration>;
  /** Changes the given fields of an integration, keeps the others, and returns it. */
  updateIntegration(
    integrationId: string,
    payload: IntegrationUpdate,
    options: CallOptions,
  ): MaybePromise<Integration>;
  /** Removes an integration and its resources. */
  removeIntegration(integrationId: string, options: CallOptions): MaybePromise<void>;
  /** Stores a new resource in an integration and returns it as stored. */
  addResource(
    integrationId: string,
    payload: ResourceCreate,
    options: CallOptions,
  ): MaybePromise<Resource>;
  /** Changes the given fields of a resource, keeps the others, and returns it. */
  updateResource(
    integrationId: string,
    resourceId: string,
    payload: ResourceUpdate,
    options: CallOptions,
  ): MaybePromise<Resource>;
  /** Removes one resource from an integration. */
  removeResource(
    integrationId: string,
    resourceId: string,
    options: CallOptions,
  ): MaybePromise<void>;
}

/** Names of the methods that every provider has. */
export const READ_METHODS = [
  'listIntegrations',
  'getIntegration',
  'listResources',
  'getResource',
] as const;

/** Names of the methods that only mutable providers have. */
export const WRITE_METHODS = [
  'addIntegration',
  'updateIntegration',
  'removeIntegration',
  'addResource',
  'updateResource',
  'removeResource',
] as const;

export type ReadMethod = (typeof READ_METHODS)[number];
export type WriteMethod = (typeof WRITE_METHODS)[number];
export type ProviderMethod = ReadMethod | WriteMethod;

/** Returns the id `<providerType>:<slug>` that integrations and clients use for a provider. */
export function providerIdOf(provider: IntegrationProvider): string {
  return `${provider.providerType}:${provider.slug}`;
}

/** Tells whether a provider implements every write method. */
export function isMutableProvider(
  provider: IntegrationProvider,
): provider is MutableIntegrationProvider {
  const candidate = provider as Partial<Record<WriteMethod, unknown>>;

  return WRITE_METHODS.every((method) => typeof candidate[method] === 'function');
}
