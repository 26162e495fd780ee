/**
 * The route table of the integrations REST API as plain data. The handler, the client, the mocks
 * and the OpenAPI document are all built from it. It imports no zod, so the client can use it
 * without bundling zod; the schemas of each route live in `route-schemas.ts`.
 *
 * @module
 */

/** HTTP methods that the API uses. */
export type RouteMethod = 'GET' | 'POST' | 'DELETE';

/** Path parameters, in the order they appear in paths. */
export type RouteParam = 'session_id' | 'integration_id' | 'resource_type' | 'resource_id';

/** One route: method, path below the base path, and what it maps to. */
export interface RouteDefinition {
  /** Number of the route in the API description, `R1` to `R10`. */
  readonly id: string;
  readonly method: RouteMethod;
  /** Path below the base path, with `:name` parameters. */
  readonly path: string;
  readonly params: readonly RouteParam[];
  /** Whether the route takes a JSON object body. */
  readonly hasBody: boolean;
  /** Status of a successful response. */
  readonly status: 200 | 201;
  /** The `IntegrationContext` method the route calls. */
  readonly operation: RouteName;
  /** One line for docs and the OpenAPI document. */
  readonly summary: string;
}

const SESSION = '/:session_id';
const INTEGRATION = `${SESSION}/:integration_id`;
const RESOURCE_TYPE = `${INTEGRATION}/:resource_type`;
const RESOURCE = `${RESOURCE_TYPE}/:resource_id`;

const sessionParams = ['session_id'] as const;
const integrationParams = ['session_id', 'integration_id'] as const;
const resourceTypeParams = ['session_id', 'integration_id', 'resource_type'] as const;
const resourceParams = ['session_id', 'integration_id', 'resource_type', 'resource_id'] as const;

/**
 * Every route of the API, keyed by the name that the client method and the context method share.
 */
export const routes = {
  listIntegrations: {
    id: 'R1',
    method: 'GET',
    path: SESSION,
    params: sessionParams,
    hasBody: false,
    status: 200,
    operation: 'listIntegrations',
    summary: "List every provider's integrations as one map keyed by uuid, and the providers",
  },
  getIntegration: {
    id: 'R2',
    method: 'GET',
    path: INTEGRATION,
    params: integrationParams,
    hasBody: false,
    status: 200,
    operation: 'getIntegration',
    summary: 'Get one integration with its resources',
  },
  listResources: {
    id: 'R3',
    method: 'GET',
    path: RESOURCE_TYPE,
    params: resourceTypeParams,
    hasBody: false,
    status: 200,
    operation: 'listResources',
    summary: 'List the resources of an integration; `all` lists every type',
  },
  getResource: {
    id: 'R4',
    method: 'GET',
    path: RESOURCE,
    params: resourceParams,
    hasBody: false,
    status: 200,
    operation: 'getResource',
    summary: 'Get one resource of an integration',
  },
  addIntegration: {
    id: 'R5',
    method: 'POST',
    path: SESSION,
    params: sessionParams,
    hasBody: true,
    status: 201,
    operation: 'addIntegration',
    summary: 'Create an integration on the provider named by the body field `provider`',
  },
  updateIntegration: {
    id: 'R6',
    method: 'POST',
    path: INTEGRATION,
    params: integrationParams,
    hasBody: true,
    status: 200,
    operation: 'updateIntegration',
    summary: 'Change the given fields of an integration',
  },
  addResource: {
    id: 'R7',
    method: 'POST',
    path: RESOURCE_TYPE,
    params: resourceTypeParams,
    hasBody: true,
    status: 201,
    operation: 'addResource',
    summary: 'Add a resource to an integration',
  },
  updateResource: {
    id: 'R8',
    method: 'POST',
    path: RESOURCE,
    params: resourceParams,
    hasBody: true,
    status: 200,
    operation: 'updateResource',
    summary: 'Change the given fields of a resource',
  },
  removeResource: {
    id: 'R9',
    method: 'DELETE',
    path: RESOURCE,
    params: resourceParams,
    hasBody: false,
    status: 200,
    operation: 'removeResource',
    summary: 'Remove a resource from an integration',
  },
  removeIntegration: {
    id: 'R10',
    method: 'DELETE',
    path: INTEGRATION,
    params: integrationParams,
    hasBody: false,
    status: 200,
    operation: 'removeIntegration',
    summary: 'Remove an integration and its resources',
  },
} as const satisfies Record<string, RouteDefinition>;

/** Name of a route, shared by the client method and the context method it calls. */
export type RouteName =
  | 'listIntegrations'
  | 'getIntegration'
  | 'listResources'
  | 'getResource'
  | 'addIntegration'
  | 'updateIntegration'
  | 'addResource'
  | 'updateResource'
  | 'removeResource'
  | 'removeIntegration';

/** The routes as a list, in table order. */
export const routeList: readonly RouteDefinition[] = Object.values(routes);

/** Fills a route's path with percent-encoded parameter values. */
export function buildPath(
  route: Pick<RouteDefinition, 'path'>,
  params: Partial<Record<RouteParam, string>>,
): string {
  return route.path.replace(/:(\w+)/g, (_match, name: string) => {
    const value = params[name as RouteParam];
    if (value === undefined || value === '') {
      throw new TypeError(`Path parameter \`${name}\` is missing or empty`);
    }

    return encodeURIComponent(value);
  });
}
