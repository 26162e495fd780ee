/**
 * One HTTP server for the loopback benchmark, started as a child process so that it has a core of
 * its own. The kinds are `handler` (the handler through @hono/node-server, as in
 * examples/runtimes/node.ts) and `hono` (the Hono version of the routes through the same adapter).
 * `adapter` is a minimal fetch function for R1 and R2 behind that adapter, and `bare` is node:http
 * calling the context and writing the same JSON. The server listens on a free port of 127.0.0.1
 * and prints `{"port": N}` on stdout.
 */
import { createServer } from 'node:http';
import { serve } from '@hono/node-server';
import { createIntegrationsHandler } from 'beaker-integrations/server';
import { BASE_PATH, createContext, SESSION } from './fixtures.mjs';
import { createHonoApp } from './hono-app.mjs';

const SEED_INTEGRATIONS = 20;
const kind = process.argv[2];
const context = createContext(SEED_INTEGRATIONS);

function sendJson(response, status, value) {
  const text = JSON.stringify(value);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(text);
}

/** Serves R1 and R2 with nothing between node:http and the context but a path split. */
async function handleBare(request, response) {
  const prefix = `${BASE_PATH}/${SESSION}`;
  const rest = request.url.startsWith(prefix) ? request.url.slice(prefix.length) : undefined;
  try {
    if (request.method === 'GET' && rest === '') {
      const integrations = await context.listIntegrations();
      sendJson(response, 200, { integrations, providers: context.listProviders() });
    } else if (request.method === 'GET' && rest !== undefined && /^\/[^/]+$/.test(rest)) {
      sendJson(response, 200, await context.getIntegration(decodeURIComponent(rest.slice(1))));
    } else {
      sendJson(response, 404, { code: 'route_not_found' });
    }
  } catch (error) {
    sendJson(response, error.status ?? 500, { code: error.code ?? 'provider_error' });
  }
}

/**
 * Serves R1 and R2 with the minimum a fetch function behind @hono/node-server needs: one context
 * call and one `Response`, with no routing, checks or ETag. It shows what the adapter alone costs.
 */
async function fetchMinimal(request) {
  const rest = new URL(request.url).pathname.slice(`${BASE_PATH}/${SESSION}`.length);
  const headers = { 'content-type': 'application/json; charset=utf-8' };
  if (rest === '') {
    const integrations = await context.listIntegrations();
    const text = JSON.stringify({ integrations, providers: context.listProviders() });

    return new Response(text, { headers });
  }

  const integration = await context.getIntegration(decodeURIComponent(rest.slice(1)));

  return new Response(JSON.stringify(integration), { headers });
}

function listen() {
  const options = { hostname: '127.0.0.1', port: 0 };
  if (kind === 'handler') {
    return serve({ ...options, fetch: createIntegrationsHandler({ context }) });
  }
  if (kind === 'hono') return serve({ ...options, fetch: createHonoApp(context).fetch });
  if (kind === 'adapter') return serve({ ...options, fetch: fetchMinimal });
  if (kind === 'bare') return createServer(handleBare).listen(options.port, options.hostname);

  throw new Error(`Unknown server kind "${kind}"; use handler, hono, adapter or bare`);
}

const server = listen();
server.once('listening', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
