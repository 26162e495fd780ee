/**
 * The example server: the integrations API over Beaker-format folders in examples/data plus an
 * in-memory scratch provider, and a browser page at `/` that uses the client SDK.
 *
 * Run it with `npm start`; `PORT`, `HOST` and `DATA_DIR` override the defaults.
 */
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { InMemoryProvider, IntegrationContext } from 'beaker-integrations';
import { createIntegrationsHandler, type Logger } from 'beaker-integrations/server';
import { FileSystemProvider } from 'beaker-integrations/server/filesystem';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 8080);
const dataDir = process.env.DATA_DIR ?? fileURLToPath(new URL('./data', import.meta.url));
const webDir = new URL('./web/', import.meta.url);

function log(level: 'info' | 'warn' | 'error', message: string, details?: object): void {
  const suffix = details === undefined ? '' : ` ${JSON.stringify(details, errorReplacer)}`;
  const line = `${new Date().toISOString()} ${level.toUpperCase()} ${message}${suffix}`;
  if (level === 'info') console.log(line);
  else console.error(line);
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;

  return { name: value.name, message: value.message, stack: value.stack };
}

const logger: Logger = {
  error: (message, details) => log('error', message, details),
  warn: (message, details) => log('warn', message, details),
  info: (message, details) => log('info', message, details),
};

const context = new IntegrationContext({
  providers: [
    new FileSystemProvider({
      root: dataDir,
      slug: 'examples',
      displayName: 'Example integrations',
      logger,
    }),
    new InMemoryProvider({ providerType: 'adhoc', slug: 'scratch', displayName: 'Scratch space' }),
  ],
});
const handler = createIntegrationsHandler({ context, logger });

const pages: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'dist/app.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

async function servePage(request: Request): Promise<Response> {
  const page = pages[new URL(request.url).pathname];
  if (page === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) {
    return new Response('Not found\n', { status: 404, headers: { 'content-type': 'text/plain' } });
  }
  const body = await readFile(new URL(page.file, webDir));

  return new Response(request.method === 'HEAD' ? null : body, {
    headers: { 'content-type': page.type, 'cache-control': 'no-cache' },
  });
}

async function route(request: Request): Promise<Response> {
  const started = performance.now();
  const path = new URL(request.url).pathname;
  const isApi = path === '/beaker/integrations' || path.startsWith('/beaker/integrations/');
  const response = isApi ? await handler(request) : await servePage(request);
  const milliseconds = (performance.now() - started).toFixed(1);
  log('info', `${request.method} ${path} ${response.status} ${milliseconds} ms`);

  return response;
}

const server = serve({ fetch: route, hostname: host, port }, async (info: AddressInfo) => {
  const integrations = await context.listIntegrations();
  const counts = Object.fromEntries(context.listProviders().map((provider) => [provider.id, 0]));
  for (const integration of Object.values(integrations)) {
    counts[integration.provider] = (counts[integration.provider] ?? 0) + 1;
  }
  const address = info.family === 'IPv6' ? `[${info.address}]` : info.address;
  log('info', `Listening on http://${address}:${info.port}`, {
    data_dir: dataDir,
    integrations_by_provider: counts,
  });
});

server.on('error', (error) => {
  log('error', 'Server failed', { error });
  process.exitCode = 1;
});

function shutdown(signal: string): void {
  log('info', `Received ${signal}; closing the server`);
  server.close(() => {
    log('info', 'Server stopped');
    process.exit(0);
  });
  // Open keep-alive connections would hold close() forever; end them after a grace period.
  setTimeout(() => process.exit(0), 3000).unref();
}

process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
