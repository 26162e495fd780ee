/**
 * {@link createIntegrationsHandler}: the route table bound to itty-router as a fetch handler.
 *
 * @module
 */
import type { IntegrationContext } from '../core/context.js';
import {
  ForbiddenError,
  type IntegrationsError,
  isIntegrationsError,
  MethodNotAllowedError,
  ProviderError,
  RouteNotFoundError,
  SessionNotFoundError,
} from '../core/errors.js';
import { type RouteDefinition, routeList } from '../core/route-definitions.js';
import { readJsonObject } from './body.js';
import { applyCors, preflightResponse } from './cors.js';
import { executeRoute } from './execute.js';
import { createOpenApiEndpoint } from './openapi-endpoint.js';
import { consoleLogger, type IntegrationsHandlerOptions, type Logger } from './options.js';
import { decodeParams, type RouteIds } from './params.js';
import { ProviderCall } from './provider-call.js';
import { problemResponse } from './responses.js';
import { createRouteMatcher, pathnameOf, type RouteMatch } from './route-matcher.js';
import { runInWriteQueue } from './write-queue.js';

/** A fetch-style handler: a standard `Request` in, a standard `Response` out. */
export type IntegrationsHandler = (request: Request) => Promise<Response>;

interface Settings {
  basePath: string;
  maxBodyBytes: number;
  timeoutMs: number;
  logger: Logger;
  options: IntegrationsHandlerOptions;
}

const DEFAULT_BASE_PATH = '/beaker/integrations';
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Creates the fetch handler of the integrations REST API. Mount it in any server that speaks
 * `Request` and `Response`: Node through an adapter, Bun, Deno, Cloudflare Workers, Hono, Express.
 *
 * Every failure becomes an RFC 9457 problem document with a stable `code`. Errors that providers
 * throw and that are not this library's become a 500 with a generic detail; the cause goes to
 * `logger` with the error id that the response carries.
 *
 * @throws {TypeError} when the options are inconsistent, such as neither `context` nor
 * `resolveContext` given.
 *
 * @example
 * ```ts
 * const handler = createIntegrationsHandler({
 *   context: new IntegrationContext({ providers: [new InMemoryProvider({ slug: 'scratch' })] }),
 * });
 * const response = await handler(new Request('http://localhost/beaker/integrations/s1'));
 * ```
 */
export function createIntegrationsHandler(
  options: IntegrationsHandlerOptions,
): IntegrationsHandler {
  const settings = resolveSettings(options);
  const openApi =
    options.openApiPath === undefined
      ? undefined
      : createOpenApiEndpoint(options.openApiPath, settings.basePath);
  const matchRoute = createRouteMatcher(settings.basePath, routeList);

  return async function handleIntegrationsRequest(request: Request): Promise<Response> {
    const preflight =
      options.cors === undefined ? undefined : preflightResponse(request, options.cors);
    if (preflight !== undefined) return preflight;

    let response: Response;
    try {
      const document = openApi?.(request);
      if (document !== undefined) {
        response = document;
      } else {
        const pathname = pathnameOf(request.url);
        const match = matchRoute(pathname);
        if (match === undefined) throw new RouteNotFoundError(request.method, pathname);
        response = await dispatch(request, match, settings);
      }
    } catch (error) {
      response = errorResponse(error, request, settings.logger);
    }

    if (options.cors !== undefined) response = applyCors(response, request, options.cors);
    if (request.method === 'HEAD') {
      return new Response(null, { status: response.status, headers: response.headers });
    }

    return response;
  };
}

function resolveSettings(options: IntegrationsHandlerOptions): Settings {
  if ((options.context === undefined) === (options.resolveContext === undefined)) {
    throw new TypeError(
      'Give exactly one of `context` (one context for every session) or `resolveContext`',
    );
  }
  const basePath = (options.basePath ?? DEFAULT_BASE_PATH).replace(/\/+$/, '');
  if (basePath !== '' && !basePath.startsWith('/')) {
    throw new TypeError(`\`basePath\` must start with "/", got "${options.basePath}"`);
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new TypeError(`\`maxBodyBytes\` must be a positive integer, got ${maxBodyBytes}`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(
      `\`timeoutMs\` must be a positive number of milliseconds, got ${timeoutMs}`,
    );
  }
  for (const origin of options.cors?.origins ?? []) {
    if (origin === '*' && options.cors?.credentials === true) {
      throw new TypeError('`cors.origins` cannot contain "*" when `cors.credentials` is true');
    }
  }

  return { basePath, maxBodyBytes, timeoutMs, logger: options.logger ?? consoleLogger, options };
}

async function dispatch(
  request: Request,
  match: RouteMatch,
  settings: Settings,
): Promise<Response> {
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  const route = match.routes.find((candidate) => candidate.method === method);
  if (route === undefined) {
    const allow = allowedMethods(match.routes);
    if (method === 'OPTIONS') return new Response(null, { status: 204, headers: { allow } });
    throw new MethodNotAllowedError(request.method, allow.split(', '));
  }

  const ids = decodeParams(match.params);
  const body = route.hasBody ? await readJsonObject(request, settings.maxBodyBytes) : undefined;
  // Deny before resolving the session, so a denied caller cannot tell known sessions from unknown.
  if (settings.options.authorize !== undefined) {
    await authorize(request, route, ids, body, settings.options);
  }
  const context =
    settings.options.context ?? (await resolveContext(ids.sessionId, request, settings.options));

  const call = new ProviderCall(request, ids.sessionId, settings.timeoutMs);
  const routeCall = { route, context, ids, body, request, callOptions: call };
  // Writes to one integration (R6 to R10) run one at a time, so `If-Match` stays exact under concurrency.
  if (route.method === 'GET' || ids.integrationId === undefined) {
    return call.run(() => executeRoute(routeCall));
  }
  const integrationId = ids.integrationId;

  return call.run(() =>
    runInWriteQueue(context, integrationId, call, () => executeRoute(routeCall)),
  );
}

function allowedMethods(group: readonly RouteDefinition[]): string {
  const methods: string[] = group.map((route) => route.method);
  if (methods.includes('GET')) methods.push('HEAD');
  methods.push('OPTIONS');

  return methods.join(', ');
}

async function resolveContext(
  sessionId: string,
  request: Request,
  options: IntegrationsHandlerOptions,
): Promise<IntegrationContext> {
  if (options.context !== undefined) return options.context;

  const context = await options.resolveContext?.(sessionId, request);
  if (context === undefined || context === null) throw new SessionNotFoundError(sessionId);

  return context;
}

async function authorize(
  request: Request,
  route: RouteDefinition,
  ids: RouteIds,
  body: Record<string, unknown> | undefined,
  options: IntegrationsHandlerOptions,
): Promise<void> {
  if (options.authorize === undefined) return;

  const target: Record<string, string> = {};
  if (ids.integrationId !== undefined) target.integrationId = ids.integrationId;
  if (ids.resourceType !== undefined) target.resourceType = ids.resourceType;
  if (ids.resourceId !== undefined) target.resourceId = ids.resourceId;
  if (typeof body?.provider === 'string') target.providerId = body.provider;

  let allowed: boolean | undefined;
  try {
    allowed = await options.authorize({
      request,
      sessionId: ids.sessionId,
      action: route.operation,
      target,
    });
  } catch (error) {
    // Only a deliberate denial (an error with status 401 or 403) shows its message. Any other
    // failure inside `authorize` may describe internals, such as a database address.
    const status = (error as { status?: unknown } | null)?.status;
    const deliberate = status === 401 || status === 403;
    const message =
      deliberate && error instanceof Error && error.message !== '' ? error.message : undefined;
    throw new ForbiddenError(message, status === 401 ? 401 : 403);
  }
  if (allowed === false) throw new ForbiddenError();
}

function errorResponse(error: unknown, request: Request, logger: Logger): Response {
  const instance = pathnameOf(request.url);
  const known = isIntegrationsError(error) ? knownErrorResponse(error, instance) : undefined;
  if (known !== undefined) {
    const integrationsError = error as IntegrationsError;
    if (known.status >= 500) {
      logger.error(integrationsError.message, {
        code: integrationsError.code,
        method: request.method,
        path: instance,
        ...integrationsError.extensions,
        details: (integrationsError as { errors?: unknown }).errors,
        cause: integrationsError.cause,
      });
    }

    return known;
  }

  const errorId = globalThis.crypto.randomUUID();
  logger.error('Provider call failed', {
    error_id: errorId,
    method: request.method,
    path: instance,
    error,
  });

  return problemResponse(new ProviderError(errorId, error), instance);
}

/**
 * Builds the problem response of an error of this library, or returns undefined when the error
 * cannot serve as one: a status outside 400-599, or a look-alike thrown by a provider whose
 * problem document cannot be built or serialized. The caller then sends a generic 500.
 */
function knownErrorResponse(error: IntegrationsError, instance: string): Response | undefined {
  if (!Number.isInteger(error.status) || error.status < 400 || error.status > 599) return undefined;
  try {
    return problemResponse(error, instance);
  } catch {
    return undefined;
  }
}
