import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';

describe('examples/runtimes/node.ts', () => {
  let close: (() => void) | undefined;
  afterAll(() => close?.());

  it('serves the handler over HTTP through @hono/node-server', async () => {
    process.env.PORT = '0';
    const { server } = await import('../../examples/runtimes/node.js');
    close = () => server.close();
    await new Promise((resolve) =>
      server.listening ? resolve(undefined) : server.once('listening', resolve),
    );
    const { port } = server.address() as AddressInfo;

    const response = await fetch(`http://127.0.0.1:${port}/beaker/integrations/s1`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      integrations: {},
      providers: [
        {
          id: 'memory:scratch',
          display_name: 'Scratch space',
          provider_type: 'memory',
          slug: 'scratch',
          mutable: true,
        },
      ],
    });
  });
});

describe('examples/runtimes/hono.ts', () => {
  it('routes the base path to the handler and keeps other routes', async () => {
    const { app } = await import('../../examples/runtimes/hono.js');

    const created = await app.request('/beaker/integrations/s1', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'memory:scratch', name: 'Sea level' }),
    });
    const health = await app.request('/health');

    expect(created.status).toBe(201);
    expect((await created.json()).slug).toBe('sea_level');
    expect(await health.text()).toBe('ok');
  });
});
