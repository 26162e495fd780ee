/**
 * Types of the client: its options, the per-call options, the payloads it sends and the
 * {@link IntegrationsClient} interface. Every wire type comes from the core schemas through type-only
 * imports, so none of this reaches a bundle.
 *
 * @module
 */
import type { KyInstance, Options, StandardSchemaV1 } from 'ky';
import type { RouteName } from '../core/routes.js';
import type {
  Integration,
  IntegrationCreateInput,
  IntegrationList,
  IntegrationUpdate,
  ProviderInfo,
  Resource,
  ResourceCreateInput,
  ResourceUpdate,
} from '../core/schemas.js';

/**
 * A schema of each route's successful response, keyed like `routes`. `routeSchemas` from the root
 * entry point `beaker-integrations` fits; any Standard Schema implementation does.
 */
export type ResponseSchemas = {
  readonly [name in RouteName]: { readonly response: StandardSchemaV1 };
};

/** Options of {@link createIntegrationsClient}. */
export interface IntegrationsClientOptions {
  /**
   * The server origin plus the handler's base path, such as
   * `https://notebook.example.org/beaker/integrations`. Browsers also accept a relative URL such
   * as `/beaker/integrations`, resolved against the page.
   */
  baseUrl: string | URL;
  /** The session id that every route starts with. */
  sessionId: string;
  /**
   * A ky instance, or ky options, for auth hooks, timeout and retry. The client sets `prefix` to
   * `baseUrl` and always throws on non-2xx responses, whatever these options set.
   * @default ky's defaults: 10 s timeout, GET and DELETE retried twice on 408, 413, 429, 500,
   * 502, 503 and 504
   */
  ky?: KyInstance | Options;
  /** A `fetch` to send requests with, such as a framework's server-side fetch. @default globalThis.fetch */
  fetch?: Options['fetch'];
  /**
   * Schemas to check every successful response with, usually `routeSchemas` from
   * `beaker-integrations`. A response that fails throws {@link ResponseValidationError}, and
   * methods return the parsed value, with schema defaults filled in. The client does not import
   * the schemas itself, so zod reaches a bundle only when the caller passes them.
   * @default off
   */
  validateResponses?: ResponseSchemas | false;
}

/** The optional last argument of every client method. */
export interface RequestOptions {
  /** Aborts the request; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Extra request headers, merged over those of the ky instance. */
  headers?: Options['headers'];
  /** Per-attempt timeout in milliseconds, or false for none. @default the ky instance's */
  timeout?: number | false;
}

/** Options of the writes that accept a condition on the item's current version. */
export interface ConditionalRequestOptions extends RequestOptions {
  /**
   * An ETag from {@link getEtag}, sent as `If-Match`: the server rejects the write with 412
   * `precondition_failed` when the item changed since that version. Undefined sends no
   * `If-Match`, so the write happens whatever the current version is.
   */
  ifMatch?: string;
}

/** The body of a new integration; its provider is the first argument of `addIntegration`. */
export type IntegrationCreatePayload = {
  [field in keyof IntegrationCreateInput as field extends 'provider'
    ? never
    : field]: IntegrationCreateInput[field];
};

/**
 * The body of a new resource of type `TType`. The built-in kinds `file` and `example` require
 * their own fields; any other type takes whatever fields its provider defines.
 */
export type ResourceCreatePayload<TType extends string = string> = {
  resource_type: TType;
} & (TType extends 'file' | 'example'
  ? Extract<ResourceCreateInput, { resource_type: TType }>
  : ResourceCreateInput);

/** The body of a resource update: any subset of its fields. */
export type ResourceUpdatePayload = ResourceUpdate;

/**
 * A typed client of every route of the integrations API, bound to one session. Every method
 * rejects with {@link IntegrationsApiError} for a non-2xx response, with ky's `NetworkError` or
 * `TimeoutError` when no response came, with the signal's reason when aborted, and with a
 * `TypeError`, before sending anything, for an empty id.
 */
export interface IntegrationsClient {
  /** The session id of every request. */
  readonly sessionId: string;
  /** Returns a client for another session that shares everything else with this one. */
  withSession(sessionId: string): IntegrationsClient;

  /** Lists every integration, keyed by uuid, and the providers (R1, `GET /{session}`). */
  listIntegrations(options?: RequestOptions): Promise<IntegrationList>;
  /** Lists the providers, to offer "create on provider Y" (R1, `GET /{session}`). */
  listProviders(options?: RequestOptions): Promise<ProviderInfo[]>;
  /** Gets one integration with its resources; its ETag is recorded for {@link getEtag} (R2). */
  getIntegration(integrationId: string, options?: RequestOptions): Promise<Integration>;
  /** Lists an integration's resources, only those of `resourceType` when it is given (R3). */
  listResources(
    integrationId: string,
    resourceType?: string,
    options?: RequestOptions,
  ): Promise<Resource[]>;
  /** Gets one resource of an integration; its ETag is recorded for {@link getEtag} (R4). */
  getResource(
    integrationId: string,
    resourceId: string,
    options?: RequestOptions,
  ): Promise<Resource>;
  /** Creates an integration on the provider `providerId`, such as `memory:scratch` (R5). */
  addIntegration(
    providerId: string,
    payload: IntegrationCreatePayload,
    options?: RequestOptions,
  ): Promise<Integration>;
  /** Changes the given fields of an integration and returns it as stored (R6). */
  updateIntegration(
    integrationId: string,
    payload: IntegrationUpdate,
    options?: ConditionalRequestOptions,
  ): Promise<Integration>;
  /** Removes an integration and its resources (R10). */
  removeIntegration(integrationId: string, options?: ConditionalRequestOptions): Promise<void>;
  /** Adds a resource to an integration; `resource_type` in the payload names its kind (R7). */
  addResource<TType extends string>(
    integrationId: string,
    payload: ResourceCreatePayload<TType>,
    options?: RequestOptions,
  ): Promise<Resource>;
  /** Changes the given fields of a resource and returns it as stored (R8). */
  updateResource(
    integrationId: string,
    resourceId: string,
    payload: ResourceUpdatePayload,
    options?: ConditionalRequestOptions,
  ): Promise<Resource>;
  /** Removes one resource from an integration (R9). */
  removeResource(
    integrationId: string,
    resourceId: string,
    options?: ConditionalRequestOptions,
  ): Promise<void>;
}
