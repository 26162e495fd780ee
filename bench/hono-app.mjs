/**
 * The ten routes written directly with Hono over the same `IntegrationContext`: the baseline that
 * the handler's throughput is compared with. It does the work that the API's contract requires on the
 * measured paths, as the handler does: it checks ids, limits and checks JSON bodies, sends ETags,
 * honours `If-Match`, runs writes to one integration one at a time, gives providers a signal that
 * fires on timeout, and answers errors with the same problem documents. It has no `authorize`,
 * `resolveContext`, CORS or OpenAPI options, which the benchmarks leave off in the handler too.
 */
import {
  isIntegrationsError,
  MethodNotAllowedError,
  ProviderError,
  RESOURCE_TYPE_WILDCARDS,
  ResourceNotFoundError,
  RouteNotFoundError,
  ValidationError,
} from 'beaker-integrations';
import { Hono } from 'hono';
import { BASE_PATH } from './fixtures.mjs';
import {
  checkIfMatch,
  createWriteQueue,
  jsonObject,
  routeIds,
  versioned,
  withDeadline,
} from './hono-contract.mjs';

const SESSION = '/:session_id';
const INTEGRATION = `${SESSION}/:integration_id`;
const RESOURCE_TYPE = `${INTEGRATION}/:resource_type`;
const RESOURCE = `${RESOURCE_TYPE}/:resource_id`;
const ALLOWED = [
  [/^\/[^/]+\/[^/]+\/[^/]+\/[^/]+\/?$/, ['GET', 'POST', 'DELETE']],
  [/^\/[^/]+\/[^/]+\/[^/]+\/?$/, ['GET', 'POST']],
  [/^\/[^/]+\/[^/]+\/?$/, ['GET', 'POST', 'DELETE']],
  [/^\/[^/]+\/?$/, ['GET', 'POST']],
];

function specificType(segment) {
  return RESOURCE_TYPE_WILDCARDS.has(segment) ? undefined : segment;
}

function withPathType(body, segment) {
  const type = specificType(segment);
  if (type === undefined) return body;
  if (body.resource_type === undefined) return { ...body, resource_type: type };
  if (body.resource_type !== type) {
    throw new ValidationError('Field `resource_type` contradicts the path', [
      { path: 'resource_type', message: `Expected "${type}", as in the path` },
    ]);
  }

  return body;
}

function assertTypeMatches(resource, ids) {
  const type = specificType(ids.resource_type);
  if (type !== undefined && resource.resource_type !== type) {
    throw new ResourceNotFoundError(ids.integration_id, ids.resource_id);
  }
}

/** Creates the Hono app of the ten routes over `context`. */
export function createHonoApp(context) {
  // `strict: false` accepts a trailing slash on every route, as the contract requires.
  const app = new Hono({ strict: false }).basePath(BASE_PATH);
  const oneAtATime = createWriteQueue();

  app.get(SESSION, (c) => {
    const ids = routeIds(c);

    return withDeadline(c, ids.session_id, async (options) => {
      const integrations = await context.listIntegrations(options);

      return c.json({ integrations, providers: context.listProviders() });
    });
  });
  app.get(INTEGRATION, (c) => {
    const ids = routeIds(c);

    return withDeadline(c, ids.session_id, async (options) =>
      versioned(c, await context.getIntegration(ids.integration_id, options)),
    );
  });
  app.get(RESOURCE_TYPE, (c) => {
    const ids = routeIds(c);
    const type = specificType(ids.resource_type);

    return withDeadline(c, ids.session_id, async (options) =>
      c.json({ resources: await context.listResources(ids.integration_id, type, options) }),
    );
  });
  app.get(RESOURCE, (c) => {
    const ids = routeIds(c);

    return withDeadline(c, ids.session_id, async (options) => {
      const resource = await context.getResource(ids.integration_id, ids.resource_id, options);
      assertTypeMatches(resource, ids);

      return versioned(c, resource);
    });
  });
  app.post(SESSION, async (c) => {
    const ids = routeIds(c);
    const { provider, ...payload } = await jsonObject(c);
    if (typeof provider !== 'string' || provider === '') {
      throw new ValidationError('Missing field `provider`', [
        { path: 'provider', message: 'Required: a provider id' },
      ]);
    }

    return withDeadline(c, ids.session_id, async (options) =>
      versioned(c, await context.addIntegration(provider, payload, options), 201),
    );
  });
  app.post(INTEGRATION, async (c) => {
    const ids = routeIds(c);
    const body = await jsonObject(c);

    return withDeadline(c, ids.session_id, (options) =>
      oneAtATime(ids.integration_id, async () => {
        await checkIfMatch(c, () => context.getIntegration(ids.integration_id, options));

        return versioned(c, await context.updateIntegration(ids.integration_id, body, options));
      }),
    );
  });
  app.post(RESOURCE_TYPE, async (c) => {
    const ids = routeIds(c);
    const body = withPathType(await jsonObject(c), ids.resource_type);

    return withDeadline(c, ids.session_id, (options) =>
      oneAtATime(ids.integration_id, async () =>
        versioned(c, await context.addResource(ids.integration_id, body, options), 201),
      ),
    );
  });
  app.post(RESOURCE, async (c) => {
    const ids = routeIds(c);
    const body = withPathType(await jsonObject(c), ids.resource_type);
    const { integration_id, resource_id } = ids;

    return withDeadline(c, ids.session_id, (options) =>
      oneAtATime(integration_id, async () => {
        await checkIfMatch(c, () => context.getResource(integration_id, resource_id, options));
        const updated = await context.updateResource(integration_id, resource_id, body, options);

        return versioned(c, updated);
      }),
    );
  });
  app.delete(RESOURCE, (c) => {
    const ids = routeIds(c);
    const { integration_id, resource_id } = ids;

    return withDeadline(c, ids.session_id, (options) =>
      oneAtATime(integration_id, async () => {
        if (specificType(ids.resource_type) !== undefined || c.req.header('if-match')) {
          const current = await context.getResource(integration_id, resource_id, options);
          assertTypeMatches(current, ids);
          await checkIfMatch(c, () => current);
        }
        await context.removeResource(integration_id, resource_id, options);

        return c.json({});
      }),
    );
  });
  app.delete(INTEGRATION, (c) => {
    const ids = routeIds(c);

    return withDeadline(c, ids.session_id, (options) =>
      oneAtATime(ids.integration_id, async () => {
        await checkIfMatch(c, () => context.getIntegration(ids.integration_id, options));
        await context.removeIntegration(ids.integration_id, options);

        return c.json({});
      }),
    );
  });

  app.notFound((c) => {
    const path = c.req.path.slice(BASE_PATH.length);
    const allow = ALLOWED.find(([pattern]) => pattern.test(path))?.[1];
    if (allow === undefined) throw new RouteNotFoundError(c.req.method, c.req.path);
    const methods = [...allow, ...(allow.includes('GET') ? ['HEAD'] : []), 'OPTIONS'];
    if (c.req.method === 'OPTIONS') return c.body(null, 204, { allow: methods.join(', ') });

    throw new MethodNotAllowedError(c.req.method, methods);
  });
  app.onError((error, c) => {
    const problem = isIntegrationsError(error)
      ? error
      : new ProviderError(globalThis.crypto.randomUUID(), error);
    if (problem.status >= 500) console.error(problem.message, { path: c.req.path, error });
    const headers = { 'content-type': 'application/problem+json; charset=utf-8' };
    if (problem.allow !== undefined) headers.allow = problem.allow.join(', ');

    return c.body(JSON.stringify(problem.toProblem(c.req.path)), problem.status, headers);
  });

  return app;
}
