/**
 * The route table with the details that the handler and the OpenAPI document need: path
 * parameters, whether a body is read, the context method called and a one-line summary. All of it
 * derives from `routes`, so no route can exist here and be missing there.
 *
 * @module
 */
import { type RouteEntry, type RouteName, type RouteParam, routes } from './routes.js';

/** One route with everything derived from its table entry. */
export interface RouteDefinition extends RouteEntry {
  /** Number of the route in the API description, `R1` to `R10`, in table order. */
  readonly id: string;
  /** Path parameters in path order. */
  readonly params: readonly RouteParam[];
  /** Whether the route takes a JSON object body: true for every POST. */
  readonly hasBody: boolean;
  /** The `IntegrationContext` method the route calls; also the client method's name. */
  readonly operation: RouteName;
  /** One line for docs and the OpenAPI document. */
  readonly summary: string;
}

const summaries: Record<RouteName, string> = {
  listIntegrations:
    "List every provider's integrations as one map keyed by uuid, and the providers",
  getIntegration: 'Get one integration with its resources',
  listResources: 'List the resources of an integration; `all` lists every type',
  getResource: 'Get one resource of an integration',
  addIntegration: 'Create an integration on the provider named by the body field `provider`',
  updateIntegration: 'Change the given fields of an integration',
  addResource: 'Add a resource to an integration',
  updateResource: 'Change the given fields of a resource',
  removeResource: 'Remove a resource from an integration',
  removeIntegration: 'Remove an integration and its resources',
};

/** Every route with its derived details, in table order. */
export const routeList: readonly RouteDefinition[] = Object.entries(routes).map(
  ([name, route], index) => ({
    ...route,
    id: `R${index + 1}`,
    params: [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1] as RouteParam),
    hasBody: route.method === 'POST',
    operation: name as RouteName,
    summary: summaries[name as RouteName],
  }),
);
