/**
 * `beaker-integrations/client/mock`: msw request handlers that pass each request to the real
 * fetch handler over an in-memory context, so a front end under test sees exactly the server's behaviour.
 *
 * @module
 */
import { type HttpHandler, http } from 'msw';
import { IntegrationContext } from '../core/context.js';
import type { IntegrationProvider } from '../core/provider.js';
import { createIntegrationsHandler } from '../server/handler.js';
import type { IntegrationsHandlerOptions } from '../server/options.js';

/** Options of {@link createMockHandlers}: `providers` or `context`, and the client's `baseUrl`. */
export interface MockHandlersOptions
  extends Omit<IntegrationsHandlerOptions, 'basePath' | 'context'> {
  /**
   * The URL the client under test calls: the same `baseUrl` as in `createIntegrationsClient`, such
   * as `http://localhost/beaker/integrations`. Its path becomes the handler's base path. In a
   * browser a relative URL such as `/beaker/integrations` matches on the page's origin. In Node
   * it must be absolute, because msw has no page origin to resolve it against there.
   */
  baseUrl: string;
  /** Providers of one context that serves every session, such as `InMemoryProvider`s. */
  providers?: readonly IntegrationProvider[];
  /** A context that serves every session; keep a reference to inspect it after a test. */
  context?: IntegrationContext;
}

/**
 * Creates msw request handlers for every route below `baseUrl`. Each request goes to
 * `createIntegrationsHandler` over the given providers or context, so statuses, problem documents,
 * ETags and validation are the server's own. The handlers are for `setupServer` from `msw/node`
 * and `setupWorker` from `msw/browser`, and use only Web APIs. In a browser, `baseUrl` may be
 * relative; under `setupServer` it must be absolute.
 *
 * @throws {TypeError} when neither or more than one of `providers`, `context` and
 * `resolveContext` is given.
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { InMemoryProvider } from 'beaker-integrations';
 * import { createMockHandlers } from 'beaker-integrations/client/mock';
 *
 * const baseUrl = 'http://localhost/beaker/integrations';
 * const server = setupServer(
 *   ...createMockHandlers({ baseUrl, providers: [new InMemoryProvider({ slug: 'scratch' })] }),
 * );
 * server.listen({ onUnhandledRequest: 'error' });
 * ```
 */
export function createMockHandlers(options: MockHandlersOptions): HttpHandler[] {
  const { baseUrl, providers, context, ...handlerOptions } = options;
  const sources = [providers, context, options.resolveContext].filter(
    (source) => source !== undefined,
  );
  if (sources.length !== 1) {
    throw new TypeError('Give exactly one of `providers`, `context` or `resolveContext`');
  }
  const root = baseUrl.replace(/\/+$/, '');
  // The handler matches on the path alone, so it takes the path of `baseUrl` as its base path.
  const basePath = new URL(root, 'http://localhost').pathname.replace(/\/+$/, '');
  const handler = createIntegrationsHandler({
    ...handlerOptions,
    basePath,
    ...(options.resolveContext === undefined
      ? { context: context ?? new IntegrationContext({ providers: providers ?? [] }) }
      : {}),
  });

  return [http.all(`${root}/*`, ({ request }) => handler(request))];
}
