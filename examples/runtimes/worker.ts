/**
 * The integrations API as a Cloudflare Worker. A module Worker is an object with a `fetch` method,
 * and the handler uses Web APIs only, so it needs no Node compatibility flag.
 *
 * Note: each Worker isolate keeps its own in-memory provider, and Cloudflare may start or drop
 * isolates at any time, so integrations created here do not last. Write a provider over KV, D1 or
 * R2 for data that must persist.
 */
import { InMemoryProvider, IntegrationContext } from 'beaker-integrations';
import { createIntegrationsHandler } from 'beaker-integrations/server';

/** The part of a Worker's execution context that this example uses. */
interface WorkerExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

const context = new IntegrationContext({
  providers: [new InMemoryProvider({ slug: 'scratch', displayName: 'Scratch space' })],
});
const handler = createIntegrationsHandler({ context, openApiPath: '/beaker/openapi.json' });

/** The Worker module: Cloudflare calls `fetch` with each request, its bindings and a context. */
const worker = {
  fetch(request: Request, _env: unknown, _context: WorkerExecutionContext): Promise<Response> {
    return handler(request);
  },
};

// The module Worker format requires the default export.
export default worker;
