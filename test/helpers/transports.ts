import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

/** Sends one request to a handler, in process or over HTTP, and returns the response. */
export type Send = (path: string, init?: RequestInit) => Promise<Response>;

/** A way of reaching a handler: straight calls, or a real server on loopback. */
export interface Transport {
  name: string;
  open(
    handler: (request: Request) => Promise<Response>,
  ): Promise<{ send: Send; close(): Promise<void> }>;
}

export const inProcess: Transport = {
  name: 'in process',
  async open(handler) {
    return {
      send: (path, init) => handler(new Request(`http://localhost${path}`, init)),
      close: async () => undefined,
    };
  },
};

export const overHttp: Transport = {
  name: 'over HTTP',
  async open(handler) {
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const started = serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(started),
      );
    });
    const { port } = server.address() as AddressInfo;

    return {
      send: (path, init) => fetch(`http://127.0.0.1:${port}${path}`, init),
      close: () =>
        new Promise<void>((resolve, reject) =>
          server.close((error) => (error ? reject(error) : resolve())),
        ),
    };
  },
};

export const transports = [inProcess, overHttp];
