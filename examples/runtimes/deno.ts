/**
 * The integrations API on Deno: `Deno.serve` takes a function from `Request` to `Response`, which
 * is what the handler is. Run it with `deno run --allow-net --allow-env examples/runtimes/deno.ts`
 * after `npm run build`; `HOST` and `PORT` override the address.
 */
import { InMemoryProvider, IntegrationContext } from 'beaker-integrations';
import { createIntegrationsHandler } from 'beaker-integrations/server';

const context = new IntegrationContext({
  providers: [new InMemoryProvider({ slug: 'scratch', displayName: 'Scratch space' })],
});
const handler = createIntegrationsHandler({ context, openApiPath: '/beaker/openapi.json' });

export const server = Deno.serve(
  { hostname: Deno.env.get('HOST') ?? '127.0.0.1', port: Number(Deno.env.get('PORT') ?? 8080) },
  handler,
);
