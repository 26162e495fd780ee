/**
 * The ten routes written directly with Hono over the same `IntegrationContext`: the baseline that
 * the handler's throughput is compared with. It makes the same context calls and returns the same
 * statuses and JSON bodies, with problem documents for errors, and hands providers the request's
 * signal. Unlike the handler, it sets no per-request timeout, body size limit, ETag, If-Match
 * check or write queue.
 */
import { isIntegrationsError, ProviderError, RESOURCE_TYPE_WILDCARDS } from 'beaker-integrations';
import { Hono } from 'hono';
import { BASE_PATH } from './fixtures.mjs';

const SESSION = '/:session_id';
const INTEGRATION = `${SESSION}/:integration_id`;
const RESOURCE_TYPE = `${INTEGRATION}/:resource_type`;
const RESOURCE = `${RESOURCE_TYPE}/:resource_id`;

function specificType(segment) {
  return RESOURCE_TYPE_WILDCARDS.has(segment) ? undefined : segment;
}

function withPathType(body, segment) {
  const type = specificType(segment);

  return type === undefined || body.resource_type !== undefined
    ? body
    : { ...body, resource_type: type };
}

/**
 * Builds the providers' call options. The signal is read only when a provider reads it, as the
 * handler does, because through @hono/node-server reading it builds a whole Web Request.
 */
function callOptions(c) {
  return {
    sessionId: c.req.param('session_id'),
    get signal() {
      return c.req.raw.signal;
    },
  };
}

/** Creates the Hono app of the ten routes over `context`. */
export function createHonoApp(context) {
  const app = new Hono().basePath(BASE_PATH);

  app.get(SESSION, async (c) => {
    const integrations = await context.listIntegrations(callOptions(c));

    return c.json({ integrations, providers: context.listProviders() });
  });
  app.get(INTEGRATION, async (c) =>
    c.json(await context.getIntegration(c.req.param('integration_id'), callOptions(c))),
  );
  app.get(RESOURCE_TYPE, async (c) => {
    const { integration_id, resource_type } = c.req.param();
    const type = specificType(resource_type);

    return c.json({ resources: await context.listResources(integration_id, type, callOptions(c)) });
  });
  app.get(RESOURCE, async (c) => {
    const { integration_id, resource_id } = c.req.param();

    return c.json(await context.getResource(integration_id, resource_id, callOptions(c)));
  });
  app.post(SESSION, async (c) => {
    const { provider, ...payload } = await c.req.json();

    return c.json(await context.addIntegration(provider, payload, callOptions(c)), 201);
  });
  app.post(INTEGRATION, async (c) => {
    const body = await c.req.json();

    return c.json(
      await context.updateIntegration(c.req.param('integration_id'), body, callOptions(c)),
    );
  });
  app.post(RESOURCE_TYPE, async (c) => {
    const { integration_id, resource_type } = c.req.param();
    const body = withPathType(await c.req.json(), resource_type);

    return c.json(await context.addResource(integration_id, body, callOptions(c)), 201);
  });
  app.post(RESOURCE, async (c) => {
    const { integration_id, resource_type, resource_id } = c.req.param();
    const body = withPathType(await c.req.json(), resource_type);

    return c.json(await context.updateResource(integration_id, resource_id, body, callOptions(c)));
  });
  app.delete(RESOURCE, async (c) => {
    const { integration_id, resource_id } = c.req.param();
    await context.removeResource(integration_id, resource_id, callOptions(c));

    return c.json({});
  });
  app.delete(INTEGRATION, async (c) => {
    await context.removeIntegration(c.req.param('integration_id'), callOptions(c));

    return c.json({});
  });

  app.onError((error, c) => {
    const problem = isIntegrationsError(error)
      ? error
      : new ProviderError(globalThis.crypto.randomUUID(), error);

    return c.body(JSON.stringify(problem.toProblem(c.req.path)), problem.status, {
      'content-type': 'application/problem+json',
    });
  });

  return app;
}
