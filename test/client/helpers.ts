import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import {
  type CallOptions,
  InMemoryProvider,
  type Integration,
  type IntegrationCreate,
  type IntegrationCreateInput,
  IntegrationNotFoundError,
  type IntegrationProvider,
  type Resource,
  ResourceNotFoundError,
} from '../../src/core/index.js';
import type { Logger } from '../../src/server/index.js';

/** The handler's default base path, which the tests keep. */
export const BASE_PATH = '/beaker/integrations';

/** A logger that keeps what the handler reports, so 500s do not print during tests. */
export function memoryLogger(): Logger & { messages: string[] } {
  const messages: string[] = [];

  return {
    messages,
    error: (message) => messages.push(message),
    warn: (message) => messages.push(message),
    info: () => undefined,
  };
}

/** A server on a free loopback port; `origin` is `http://127.0.0.1:<port>`. */
export interface LoopbackServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves a fetch handler over real HTTP on 127.0.0.1 and a free port. */
export function startLoopback(
  fetch: (request: Request) => Response | Promise<Response>,
): Promise<LoopbackServer> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({
        origin: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
  });
}

/** The uuid of the integration that {@link seedIntegrations} creates, with a `/` and a space. */
export const WEATHER_ID = 'weather/api v1';

/** Integrations that every route test starts with: one with a file and an example resource. */
export function seedIntegrations(): IntegrationCreateInput[] {
  return [
    {
      uuid: WEATHER_ID,
      name: 'Weather API',
      description: 'Forecasts by city',
      datatype: 'api',
      resources: {
        'readme.md': { resource_type: 'file', name: 'README', content: '# Weather' },
        'first-query': {
          resource_type: 'example',
          query: 'Forecast for Oslo',
          code: 'weather.forecast("Oslo")',
        },
      },
    },
  ];
}

/** A provider that only reads: it cannot create, change or remove anything. */
export class ReadOnlyProvider implements IntegrationProvider {
  readonly providerType = 'static';
  readonly slug = 'docs';
  readonly displayName = 'Documentation';
  readonly #integration: Integration = {
    uuid: 'docs-index',
    name: 'Docs index',
    description: 'Read-only reference pages',
    provider: 'static:docs',
    slug: 'docs_index',
    datatype: 'dataset',
    resources: {},
  };

  listIntegrations(): Integration[] {
    return [structuredClone(this.#integration)];
  }

  getIntegration(integrationId: string): Integration {
    if (integrationId !== this.#integration.uuid) throw new IntegrationNotFoundError(integrationId);

    return structuredClone(this.#integration);
  }

  listResources(integrationId: string): Resource[] {
    this.getIntegration(integrationId);

    return [];
  }

  getResource(integrationId: string, resourceId: string): Resource {
    this.getIntegration(integrationId);
    throw new ResourceNotFoundError(integrationId, resourceId);
  }
}

type Behaviour = 'fail' | 'hang';

/**
 * An in-memory provider that counts calls per method and can be set to fail or to hang the next
 * calls of a method. A hanging call waits until its signal fires and records that it did.
 */
export class ScriptedProvider extends InMemoryProvider {
  readonly calls: Record<string, number> = {};
  readonly abortedSignals: AbortSignal[] = [];
  readonly #plans = new Map<string, { behaviour: Behaviour; remaining: number }>();
  #started: (() => void) | undefined;

  /** Makes the next `times` calls of `method` throw a plain Error, or hang until aborted. */
  plan(method: string, behaviour: Behaviour, times = Number.POSITIVE_INFINITY): void {
    this.#plans.set(method, { behaviour, remaining: times });
  }

  /** Resolves when the next hanging call starts. */
  nextHang(): Promise<void> {
    return new Promise((resolve) => {
      this.#started = resolve;
    });
  }

  override getIntegration(integrationId: string, options?: CallOptions): Integration {
    return this.#run('getIntegration', options, () => super.getIntegration(integrationId)) as never;
  }

  override addIntegration(payload: IntegrationCreate, options?: CallOptions): Integration {
    return this.#run('addIntegration', options, () => super.addIntegration(payload)) as never;
  }

  #run<T>(method: string, options: CallOptions | undefined, work: () => T): T | Promise<T> {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
    const plan = this.#plans.get(method);
    if (plan === undefined || plan.remaining <= 0) return work();

    plan.remaining -= 1;
    if (plan.behaviour === 'fail') throw new Error(`Scripted failure of ${method}`);

    const signal = options?.signal;
    this.#started?.();

    return new Promise<T>((_resolve, reject) => {
      signal?.addEventListener('abort', () => {
        this.abortedSignals.push(signal);
        reject(signal.reason);
      });
    });
  }
}

/** One request as the client sent it: method, path below the origin, headers and body text. */
export interface SentRequest {
  method: string;
  path: string;
  contentType: string | null;
  ifMatch: string | null;
  body: string;
}

/** Returns a `fetch` that records each request before passing it to the global `fetch`. */
export function recordingFetch(sent: SentRequest[]) {
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    sent.push({
      method: request.method,
      path: url.pathname,
      contentType: request.headers.get('content-type'),
      ifMatch: request.headers.get('if-match'),
      body: await request.clone().text(),
    });

    return globalThis.fetch(request, init);
  };
}
