/**
 * The integrations API on Bun: `Bun.serve` speaks `Request` and `Response`, so the handler is its
 * `fetch` as it is. Run it with `bun examples/runtimes/bun.ts`; `HOST` and `PORT` override the
 * address.
 */
import { InMemoryProvider, IntegrationContext } from 'beaker-integrations';
import { createIntegrationsHandler } from 'beaker-integrations/server';

const context = new IntegrationContext({
  providers: [new InMemoryProvider({ slug: 'scratch', displayName: 'Scratch space' })],
});

export const server = Bun.serve({
  hostname: Bun.env.HOST ?? '127.0.0.1',
  port: Number(Bun.env.PORT ?? 8080),
  fetch: createIntegrationsHandler({ context, openApiPath: '/beaker/openapi.json' }),
});
