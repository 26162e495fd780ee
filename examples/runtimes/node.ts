import { serve } from '@hono/node-server';
import { InMemoryProvider, IntegrationContext } from 'beaker-integrations';
import { createIntegrationsHandler } from 'beaker-integrations/server';

const context = new IntegrationContext({
  providers: [new InMemoryProvider({ slug: 'scratch', displayName: 'Scratch space' })],
});
const handler = createIntegrationsHandler({ context });

// @hono/node-server turns Node's request and response objects into the standard Request and
// Response that the handler speaks.
export const server = serve({
  fetch: handler,
  hostname: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 8080),
});
