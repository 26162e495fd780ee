import { getRequestListener } from '@hono/node-server';
import { InMemoryProvider, IntegrationContext } from 'beaker-integrations';
import { createIntegrationsHandler } from 'beaker-integrations/server';

const handler = createIntegrationsHandler({
  context: new IntegrationContext({ providers: [new InMemoryProvider({ slug: 'scratch' })] }),
});
const listener = getRequestListener(handler);

interface NodeMiddlewareRequest {
  url?: string;
}

/**
 * Express middleware that passes requests under the base path to the handler. Register it before
 * any body parser such as `express.json()`, because the handler reads the body stream itself.
 * Use `app.use(integrations)`, not `app.use('/beaker/integrations', integrations)`: a mount path
 * would strip the prefix from `req.url`.
 */
export function integrations(
  request: NodeMiddlewareRequest & Parameters<typeof listener>[0],
  response: Parameters<typeof listener>[1],
  next: () => void,
): void {
  if (request.url?.startsWith('/beaker/integrations/')) {
    void listener(request, response);
    return;
  }
  next();
}
