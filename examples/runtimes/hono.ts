import { InMemoryProvider, IntegrationContext } from 'beaker-integrations';
import { createIntegrationsHandler } from 'beaker-integrations/server';
import { Hono } from 'hono';

const handler = createIntegrationsHandler({
  context: new IntegrationContext({ providers: [new InMemoryProvider({ slug: 'scratch' })] }),
});

export const app = new Hono();
app.get('/health', (c) => c.text('ok'));
// Hand the raw standard Request to the handler; it serves every route under its base path.
app.all('/beaker/integrations/*', (c) => handler(c.req.raw));
