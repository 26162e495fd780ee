import type { IntegrationContext } from '../core/context.js';
import type { MaybePromise } from '../core/provider.js';
import type { RouteName } from '../core/routes.js';

/** The sink for errors the handler catches. Each method takes a message and structured details. */
export interface Logger {
  error(message: string, details?: Record<string, unknown>): void;
  warn?(message: string, details?: Record<string, unknown>): void;
  info?(message: string, details?: Record<string, unknown>): void;
}

/** The request details passed to an `authorize` callback. */
export interface AuthorizeRequest {
  request: Request;
  sessionId: string;
  /** The route name, such as `addResource`; it is also the context method called. */
  action: RouteName;
  /** The ids that the route names; absent ones are left out. */
  target: {
    integrationId?: string;
    resourceType?: string;
    resourceId?: string;
    providerId?: string;
  };
}

/** CORS settings: an explicit allowlist of origins. */
export interface CorsSettings {
  /** Origins allowed to call, such as `https://notebook.example.org`. */
  origins: readonly string[];
  /** Send `Access-Control-Allow-Credentials: true`. @default false */
  credentials?: boolean;
  /** How long browsers may cache a preflight, in seconds. @default 600 */
  maxAge?: number;
}

/** Options of {@link createIntegrationsHandler}. Give `context` or `resolveContext`, not both. */
export interface IntegrationsHandlerOptions {
  /** One context that serves every session id. */
  context?: IntegrationContext;
  /**
   * Returns the context of a session, or `undefined` for an unknown session (404
   * `session_not_found`). Called once per request.
   */
  resolveContext?: (
    sessionId: string,
    request: Request,
  ) => MaybePromise<IntegrationContext | undefined | null>;
  /** Path prefix of every route. @default '/beaker/integrations' */
  basePath?: string;
  /** Largest accepted request body, in bytes. @default 1048576 (1 MiB) */
  maxBodyBytes?: number;
  /** Time a provider call may take before the handler sends 504 and aborts it, in ms. @default 30000 */
  timeoutMs?: number;
  /** Where caught errors go. @default errors only, to `console.error` */
  logger?: Logger;
  /**
   * Decides whether a request may proceed, before the session's context is resolved and before
   * any provider is called. Returning `false` or throwing denies it with 403, or with the thrown
   * error's own `status` when that is 401 or 403. Only such an error's message reaches the
   * response; any other thrown value gets a generic detail.
   */
  authorize?: (request: AuthorizeRequest) => MaybePromise<boolean | undefined>;
  /** Cross-origin access for browsers on other origins. @default off */
  cors?: CorsSettings;
  /**
   * Path at which the handler serves the OpenAPI document of its routes as JSON, on GET and HEAD,
   * such as `/beaker/openapi.json`. It must lie outside `basePath`. @default off
   */
  openApiPath?: string;
}

/** The default logger: errors only, to the console. */
export const consoleLogger: Logger = {
  error(message, details) {
    console.error(`[beaker-integrations] ${message}`, details ?? '');
  },
};
