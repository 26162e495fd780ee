/**
 * The route table of the integrations REST API as plain data: method, path and success status of
 * each route. The handler, the client, the mocks and the OpenAPI document are all built from it.
 * It imports no zod and contains only what the client needs, so browser bundles stay small;
 * `route-definitions.ts` derives the details that the server and the OpenAPI builder use.
 *
 * @module
 */

/** HTTP methods that the API uses. */
export type RouteMethod = 'GET' | 'POST' | 'DELETE';

/** Path parameters, in the order they appear in paths. */
export type RouteParam = 'session_id' | 'integration_id' | 'resource_type' | 'resource_id';

/** One entry of the route table. */
export interface RouteEntry {
  readonly method: RouteMethod;
  /** Path below the base path, with `:name` parameters. */
  readonly path: string;
  /** Status of a successful response. */
  readonly status: 200 | 201;
}

const SESSION = '/:session_id';
const INTEGRATION = `${SESSION}/:integration_id`;
const RESOURCE_TYPE = `${INTEGRATION}/:resource_type`;
const RESOURCE = `${RESOURCE_TYPE}/:resource_id`;

/**
 * Every route of the API, keyed by the name that the client method and the context method share.
 * POST routes take a JSON object body; the others take none. The order is the API description's:
 * route ids R1 to R10 follow it.
 */
export const routes = {
  listIntegrations: { method: 'GET', path: SESSION, status: 200 },
  getIntegration: { method: 'GET', path: INTEGRATION, status: 200 },
  listResources: { method: 'GET', path: RESOURCE_TYPE, status: 200 },
  getResource: { method: 'GET', path: RESOURCE, status: 200 },
  addIntegration: { method: 'POST', path: SESSION, status: 201 },
  updateIntegration: { method: 'POST', path: INTEGRATION, status: 200 },
  addResource: { method: 'POST', path: RESOURCE_TYPE, status: 201 },
  updateResource: { method: 'POST', path: RESOURCE, status: 200 },
  removeResource: { method: 'DELETE', path: RESOURCE, status: 200 },
  removeIntegration: { method: 'DELETE', path: INTEGRATION, status: 200 },
} as const satisfies Record<string, RouteEntry>;

/** Name of a route, shared by the client method and the context method it calls. */
export type RouteName = keyof typeof routes;

/**
 * Fills a route's path with percent-encoded parameter values.
 *
 * @throws {TypeError} for a missing or empty value, and for `.` and `..`, which URL parsing would
 * remove from the path so that the request reached another route.
 */
export function buildPath(
  route: Pick<RouteEntry, 'path'>,
  params: Partial<Record<RouteParam, string>>,
): string {
  return route.path.replace(/:(\w+)/g, (_match, name: string) => {
    const value = params[name as RouteParam];
    if (!value || /^\.\.?$/.test(value)) {
      throw new TypeError(`\`${name}\` is missing or empty, or a dot segment`);
    }

    return encodeURIComponent(value);
  });
}
