/**
 * {@link createIntegrationsClient}: every route of the route table as a typed method on ky.
 *
 * @module
 */
import ky, { isHTTPError, type KyInstance, type Options } from 'ky';
import { buildPath, type RouteName, type RouteParam, routes } from '../core/routes.js';
import type { IntegrationList, ResourceList } from '../core/schemas.js';
import { IntegrationsApiError, ResponseValidationError } from './errors.js';
import type {
  ConditionalRequestOptions,
  IntegrationsClient,
  IntegrationsClientOptions,
  ResponseSchemas,
} from './types.js';

interface Settings {
  http: KyInstance;
  sessionId: string;
  schemas: ResponseSchemas | false | undefined;
}

type Params = Partial<Record<RouteParam, string>>;

const etags = new WeakMap<object, string>();

/**
 * Returns the ETag that came with an item that a client method returned, for the `ifMatch` option
 * of a later write. Only `getIntegration`, `getResource` and the add and update methods return
 * items with an ETag.
 *
 * Note: the ETag belongs to the object the method returned, so a copy of it (a spread,
 * `structuredClone`, a JSON round trip) has none.
 *
 * @example
 * ```ts
 * const integration = await client.getIntegration(id);
 * await client.updateIntegration(id, { name: 'Renamed' }, { ifMatch: getEtag(integration) });
 * ```
 */
export function getEtag(item: object): string | undefined {
  return etags.get(item);
}

/**
 * Creates a typed client of the integrations API for one session.
 *
 * @throws {TypeError} when `baseUrl` or `sessionId` is missing or empty.
 *
 * @example
 * ```ts
 * const client = createIntegrationsClient({
 *   baseUrl: 'https://notebook.example.org/beaker/integrations',
 *   sessionId: 'session-1',
 *   ky: { hooks: { beforeRequest: [({ request }) => request.headers.set('authorization', token)] } },
 * });
 * const { integrations, providers } = await client.listIntegrations();
 * const created = await client.addIntegration(providers[0]!.id, { name: 'Weather API' });
 * ```
 */
export function createIntegrationsClient(options: IntegrationsClientOptions): IntegrationsClient {
  // A URL object is truthy, so only a missing or empty string is rejected.
  required(options.baseUrl as string, 'baseUrl');
  const base = typeof options.ky === 'function' ? options.ky : ky.create(options.ky);
  const overrides: Options = { prefix: options.baseUrl, throwHttpErrors: true };
  if (options.fetch) overrides.fetch = options.fetch;

  return bind({
    http: base.extend(overrides),
    sessionId: required(options.sessionId, 'sessionId'),
    schemas: options.validateResponses,
  });
}

/** Returns a value that must not be empty, or throws before anything is sent. */
function required(value: string, name: string): string {
  if (!value) throw new TypeError(`\`${name}\` is missing or empty`);

  return value;
}

function bind(settings: Settings): IntegrationsClient {
  const call = <T>(name: RouteName, params: Params, options?: object, json?: object) =>
    send(settings, name, params, options, json) as Promise<T>;

  return {
    sessionId: settings.sessionId,
    withSession: (sessionId) => bind({ ...settings, sessionId: required(sessionId, 'sessionId') }),
    listIntegrations: (options) => call('listIntegrations', {}, options),
    listProviders: async (options) =>
      (await call<IntegrationList>('listIntegrations', {}, options)).providers,
    getIntegration: (id, options) => call('getIntegration', { integration_id: id }, options),
    listResources: async (id, type = 'all', options) =>
      (
        await call<ResourceList>(
          'listResources',
          { integration_id: id, resource_type: type },
          options,
        )
      ).resources,
    getResource: (id, resourceId, options) =>
      call(
        'getResource',
        { integration_id: id, resource_type: 'any', resource_id: resourceId },
        options,
      ),
    addIntegration: async (providerId, payload, options) =>
      call('addIntegration', {}, options, {
        ...payload,
        provider: required(providerId, 'providerId'),
      }),
    updateIntegration: (id, payload, options) =>
      call('updateIntegration', { integration_id: id }, options, payload),
    removeIntegration: async (id, options) => {
      await call('removeIntegration', { integration_id: id }, options);
    },
    addResource: (id, payload, options) =>
      call('addResource', { integration_id: id, resource_type: 'new' }, options, payload),
    updateResource: (id, resourceId, payload, options) =>
      call(
        'updateResource',
        { integration_id: id, resource_type: 'new', resource_id: resourceId },
        options,
        payload,
      ),
    removeResource: async (id, resourceId, options) => {
      await call(
        'removeResource',
        { integration_id: id, resource_type: 'any', resource_id: resourceId },
        options,
      );
    },
  };
}

/**
 * Sends one route's request and returns its parsed body. POST is never retried, because a create
 * that reached the server before the connection failed would run twice.
 */
async function send(
  settings: Settings,
  name: RouteName,
  params: Params,
  options: ConditionalRequestOptions = {},
  json?: object,
): Promise<unknown> {
  const route = routes[name];
  const path = buildPath(route, { ...params, session_id: settings.sessionId });
  const { ifMatch, ...rest } = options;
  const request: Options = { ...rest, method: route.method, json };
  if (route.method === 'POST') request.retry = 0;
  if (ifMatch !== undefined) {
    const headers = new Headers(rest.headers as HeadersInit | undefined);
    headers.set('if-match', ifMatch);
    request.headers = headers;
  }

  let response: Response;
  try {
    response = await settings.http(path, request);
  } catch (error) {
    throw isHTTPError(error) ? new IntegrationsApiError(error, { cause: error }) : error;
  }
  let body: unknown = await response.json();
  if (settings.schemas) {
    const result = await settings.schemas[name].response['~standard'].validate(body);
    if (result.issues) throw new ResponseValidationError(name, result.issues);
    body = result.value;
  }
  const etag = response.headers.get('etag');
  if (etag && body && typeof body === 'object') etags.set(body, etag);

  return body;
}
