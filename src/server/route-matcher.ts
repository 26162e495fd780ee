/**
 * Matches request paths against the route table with the regular expressions that itty-router
 * compiles for it.
 *
 * @module
 */
import { IttyRouter } from 'itty-router';
import type { RouteDefinition } from '../core/route-definitions.js';

/** The routes that share a matched path, and the raw path parameters. */
export interface RouteMatch {
  routes: readonly RouteDefinition[];
  params: Record<string, string>;
}

/** Finds the routes of a request path, or returns undefined when no route has the path. */
export type RouteMatcher = (pathname: string) => RouteMatch | undefined;

/**
 * Creates the matcher of the routes under `basePath`. The router's own `fetch` is not used: in
 * itty-router 5 it parses the whole URL, builds a query object, writes `params` and `query` onto
 * the request and awaits each handler. That took 4.9 µs per Web `Request` on Node 20, where
 * matching the path with the same expressions took 1.3 µs.
 */
export function createRouteMatcher(
  basePath: string,
  list: readonly RouteDefinition[],
): RouteMatcher {
  const router = IttyRouter({ base: basePath });
  const groups: (readonly RouteDefinition[])[] = [];
  for (const [path, group] of groupByPath(list)) {
    router.all(path, () => group);
    groups.push(group);
  }
  const compiled = router.routes.map(([, expression], index) => ({
    expression,
    routes: groups[index]!,
  }));

  return (pathname) => {
    for (const { expression, routes } of compiled) {
      const found = expression.exec(pathname);
      if (found !== null) return { routes, params: found.groups ?? {} };
    }

    return undefined;
  };
}

/**
 * Returns the path of an absolute URL, as `new URL(url).pathname` does, without parsing the rest.
 * In a serialized URL with a host, such as `Request.url`, the path runs from the first `/` after
 * `//` up to a `?` or `#`, since the host and the user info cannot contain those characters. A URL
 * without `//` goes to `URL`.
 */
export function pathnameOf(url: string): string {
  const authority = url.indexOf('//');
  const start = authority === -1 ? -1 : url.indexOf('/', authority + 2);
  if (start === -1) return new URL(url).pathname;

  let end = url.length;
  const query = url.indexOf('?', start);
  if (query !== -1) end = query;
  const fragment = url.indexOf('#', start);
  if (fragment !== -1 && fragment < end) end = fragment;

  return url.slice(start, end);
}

function groupByPath(list: readonly RouteDefinition[]): Map<string, RouteDefinition[]> {
  const groups = new Map<string, RouteDefinition[]>();
  for (const route of list) {
    const group = groups.get(route.path) ?? [];
    group.push(route);
    groups.set(route.path, group);
  }

  return groups;
}
