import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryProvider, IntegrationContext } from '../../../src/core/index.js';
import {
  type AuthorizeRequest,
  type CorsSettings,
  createIntegrationsHandler,
} from '../../../src/server/index.js';
import { createFixtureContext } from './fixtures.js';
import { BASE_PATH, expectProblem, readResponse, startServer, type TestServer } from './http.js';
import { ScriptedProvider } from './scripted-provider.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

/** One request per route, as a path below the base path and a fetch init. */
const routeRequests: Array<[string, string, RequestInit]> = [
  ['listIntegrations', '/s1', {}],
  ['getIntegration', '/s1/i1', {}],
  ['listResources', '/s1/i1/all', {}],
  ['getResource', '/s1/i1/file/r1', {}],
  [
    'addIntegration',
    '/s1',
    {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ provider: 'memory:spy', name: 'New' }),
    },
  ],
  [
    'updateIntegration',
    '/s1/i1',
    { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ name: 'Renamed' }) },
  ],
  [
    'addResource',
    '/s1/i1/new',
    {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ resource_type: 'file', name: 'n' }),
    },
  ],
  [
    'updateResource',
    '/s1/i1/file/r1',
    { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ name: 'm' }) },
  ],
  ['removeResource', '/s1/i1/any/r1', { method: 'DELETE' }],
  ['removeIntegration', '/s1/i1', { method: 'DELETE' }],
];

function createSpy(): ScriptedProvider {
  return new ScriptedProvider({
    slug: 'spy',
    integrations: [
      { uuid: 'i1', name: 'Weather', resources: { r1: { resource_type: 'file', name: 'f' } } },
    ],
  });
}

describe('authorize over HTTP', () => {
  let server: TestServer;
  let decide: (request: AuthorizeRequest) => boolean | undefined | Promise<boolean | undefined>;
  const authorizeRequests: AuthorizeRequest[] = [];
  let spy = createSpy();
  let context = new IntegrationContext({ providers: [spy] });
  let resolved = 0;

  beforeAll(async () => {
    const handler = createIntegrationsHandler({
      resolveContext: (sessionId) => {
        resolved += 1;

        return sessionId === 's1' ? context : undefined;
      },
      authorize: (request) => {
        authorizeRequests.push(request);

        return decide(request);
      },
    });
    server = await startServer(handler);
  });
  afterEach(() => {
    // Allowed writes change the data, so every test starts from fresh data.
    spy = createSpy();
    context = new IntegrationContext({ providers: [spy] });
    authorizeRequests.length = 0;
    resolved = 0;
  });
  afterAll(() => server.close());

  async function send(path: string, init: RequestInit = {}) {
    return readResponse(await fetch(`${server.origin}${BASE_PATH}${path}`, init));
  }

  it.each(routeRequests)(
    'denies %s with 403 before any provider call',
    async (_action, path, init) => {
      decide = () => false;

      const response = await send(path, init);

      expectProblem(response, 403, 'forbidden');
      expect(spy.calls).toEqual([]);
      expect(resolved).toBe(0);
    },
  );

  it.each(routeRequests)(
    'asks about %s with the route name and ids',
    async (action, path, init) => {
      decide = () => true;

      await send(path, init);

      expect(authorizeRequests).toHaveLength(1);
      expect(authorizeRequests[0]!.action).toBe(action);
      expect(authorizeRequests[0]!.sessionId).toBe('s1');
      expect(authorizeRequests[0]!.request.method).toBe(init.method ?? 'GET');
    },
  );

  it('names every id of a resource route in the target', async () => {
    decide = () => true;

    await send('/s1/i1/file/r%2F1');

    expect(authorizeRequests[0]!.target).toEqual({
      integrationId: 'i1',
      resourceType: 'file',
      resourceId: 'r/1',
    });
  });

  it('names the provider of a create in the target', async () => {
    decide = () => true;

    await send('/s1', routeRequests[4]![2]);

    expect(authorizeRequests[0]!.target).toEqual({ providerId: 'memory:spy' });
  });

  it('denies with 403 when authorize throws an error', async () => {
    decide = () => {
      throw new Error('Token expired');
    };

    const response = await send('/s1/i1');

    expectProblem(response, 403, 'forbidden');
    expect(spy.calls).toEqual([]);
  });

  it('denies with 401 when the thrown error carries status 401', async () => {
    decide = () => {
      throw Object.assign(new Error('Sign in to use this session'), { status: 401 });
    };

    const response = await send('/s1/i1', { method: 'DELETE' });

    const problem = expectProblem(response, 401, 'unauthorized');
    expect(problem.detail).toBe('Sign in to use this session');
    expect(spy.calls).toEqual([]);
  });

  it('denies with 403 when an async authorize rejects with a string', async () => {
    decide = () => Promise.reject('no');

    expectProblem(await send('/s1'), 403, 'forbidden');
  });

  it('keeps 403 for a thrown status that is not 401 or 403', async () => {
    decide = () => {
      throw Object.assign(new Error('Gone'), { status: 410 });
    };

    expectProblem(await send('/s1/i1'), 403, 'forbidden');
  });

  it('hides the message of an unexpected failure inside authorize', async () => {
    decide = () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432 at /srv/auth/db.js');
    };

    const response = await send('/s1/i1');

    const problem = expectProblem(response, 403, 'forbidden');
    expect(problem.detail).not.toContain('ECONNREFUSED');
  });

  it('denies an unknown session without telling whether it exists', async () => {
    decide = () => false;

    const known = await send('/s1/i1');
    const unknown = await send('/s9/i1');

    expectProblem(known, 403, 'forbidden');
    expectProblem(unknown, 403, 'forbidden');
    expect(resolved).toBe(0);
  });

  it('lets the request through when authorize returns true or undefined', async () => {
    decide = () => undefined;
    const first = await send('/s1/i1');
    decide = () => true;
    const second = await send('/s1/i1');

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(spy.calls.length).toBeGreaterThan(0);
  });
});

describe('session isolation over HTTP', () => {
  let server: TestServer;
  const contexts = new Map<string, IntegrationContext>();
  const resolvedIds: string[] = [];

  function sessionContext(): IntegrationContext {
    return new IntegrationContext({ providers: [new InMemoryProvider({ slug: 'scratch' })] });
  }

  beforeAll(async () => {
    contexts.set('alice', sessionContext());
    contexts.set('bob', sessionContext());
    contexts.set('team/a', sessionContext());
    const handler = createIntegrationsHandler({
      resolveContext: (sessionId) => {
        resolvedIds.push(sessionId);

        return contexts.get(sessionId);
      },
      authorize: ({ request, sessionId }) => request.headers.get('x-user') === sessionId,
    });
    server = await startServer(handler);
  });
  afterAll(() => server.close());

  function send(user: string, path: string, init: RequestInit = {}) {
    return fetch(`${server.origin}${BASE_PATH}${path}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), 'x-user': user },
    });
  }

  function create(user: string, session: string, body: object) {
    return send(user, `/${encodeURIComponent(session)}`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ provider: 'memory:scratch', ...body }),
    });
  }

  it('never answers one session from another session', async () => {
    const created = await create('alice', 'alice', { name: 'Private', uuid: 'alice-only' });
    expect(created.status).toBe(201);

    const fromBob = await send('bob', '/bob/alice-only');
    const bobList = (await (await send('bob', '/bob')).json()) as { integrations: object };
    const fromAlice = await send('alice', '/alice/alice-only');

    expectProblem(await readResponse(fromBob), 404, 'integration_not_found');
    expect(bobList.integrations).toEqual({});
    expect(fromAlice.status).toBe(200);
  });

  it('keeps the same uuid apart in two sessions', async () => {
    await create('alice', 'alice', { name: 'Alice copy', uuid: 'shared' });
    await create('bob', 'bob', { name: 'Bob copy', uuid: 'shared' });

    const alice = (await (await send('alice', '/alice/shared')).json()) as { name: string };
    const bob = (await (await send('bob', '/bob/shared')).json()) as { name: string };

    expect(alice.name).toBe('Alice copy');
    expect(bob.name).toBe('Bob copy');
  });

  it('denies a user on another user session before resolving it', async () => {
    resolvedIds.length = 0;

    const response = await send('bob', '/alice/alice-only', { method: 'DELETE' });

    expectProblem(await readResponse(response), 403, 'forbidden');
    expect(resolvedIds).toEqual([]);
    expect((await send('alice', '/alice/alice-only')).status).toBe(200);
  });

  it('resolves the decoded session id once per request', async () => {
    resolvedIds.length = 0;

    const response = await send('team/a', '/team%2Fa');

    expect(response.status).toBe(200);
    expect(resolvedIds).toEqual(['team/a']);
  });

  it('answers 404 session_not_found for a session without a context', async () => {
    const response = await send('carol', '/carol');

    const problem = expectProblem(await readResponse(response), 404, 'session_not_found');
    expect(problem.session_id).toBe('carol');
  });
});

describe('CORS over HTTP', () => {
  const allowed = 'https://notebook.example.org';
  const denied = 'https://evil.example.com';
  const servers: TestServer[] = [];

  async function serveWith(cors?: CorsSettings): Promise<TestServer> {
    const server = await startServer(
      createIntegrationsHandler({ context: createFixtureContext(), cors }),
    );
    servers.push(server);

    return server;
  }

  function preflight(server: TestServer, origin: string, method = 'POST') {
    return fetch(`${server.origin}${BASE_PATH}/s1/i1`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': method,
        'access-control-request-headers': 'content-type, if-match',
      },
    });
  }

  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  it('is off by default', async () => {
    const server = await serveWith();

    const options = await preflight(server, allowed);
    const get = await fetch(`${server.origin}${BASE_PATH}/s1/i1`, { headers: { origin: allowed } });

    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, POST, DELETE, HEAD, OPTIONS');
    expect(options.headers.get('access-control-allow-origin')).toBeNull();
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight from an allowed origin', async () => {
    const server = await serveWith({ origins: [allowed] });

    const response = await preflight(server, allowed);

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(response.headers.get('access-control-allow-methods')).toBe(
      'GET,HEAD,POST,DELETE,OPTIONS',
    );
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'Content-Type,Authorization,If-Match',
    );
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('vary')).toContain('Origin');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('gives no allow-origin to a preflight from another origin', async () => {
    const server = await serveWith({ origins: [allowed] });

    const response = await preflight(server, denied);

    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it('adds the CORS headers to a request from an allowed origin', async () => {
    const server = await serveWith({ origins: [allowed, 'https://other.example.org'] });

    const response = await fetch(`${server.origin}${BASE_PATH}/s1/i1`, {
      headers: { origin: allowed },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(response.headers.get('access-control-expose-headers')).toContain('ETag');
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-z]+-[0-9a-z]+"$/);
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it('keeps the status and body of a create', async () => {
    const server = await serveWith({ origins: [allowed] });

    const response = await fetch(`${server.origin}${BASE_PATH}/s1`, {
      method: 'POST',
      headers: { origin: allowed, ...JSON_HEADERS },
      body: JSON.stringify({ provider: 'memory:scratch', name: 'Created cross-origin' }),
    });

    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ name: 'Created cross-origin' });
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
  });

  it('adds the CORS headers to problem documents', async () => {
    const server = await serveWith({ origins: [allowed] });

    const response = await fetch(`${server.origin}${BASE_PATH}/s1/nope`, {
      headers: { origin: allowed },
    });

    expectProblem(await readResponse(response), 404, 'integration_not_found');
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
  });

  it('gives no allow-origin to a request from another origin', async () => {
    const server = await serveWith({ origins: [allowed] });

    const response = await fetch(`${server.origin}${BASE_PATH}/s1/i1`, {
      headers: { origin: denied },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it('sends credentials with the exact origin', async () => {
    const server = await serveWith({ origins: [allowed], credentials: true, maxAge: 60 });

    const options = await preflight(server, allowed, 'DELETE');
    const get = await fetch(`${server.origin}${BASE_PATH}/s1`, { headers: { origin: allowed } });

    expect(options.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(options.headers.get('access-control-allow-credentials')).toBe('true');
    expect(options.headers.get('access-control-max-age')).toBe('60');
    expect(get.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(get.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('answers preflights and requests alike for the wildcard origin', async () => {
    const server = await serveWith({ origins: ['*'] });

    const options = await preflight(server, denied);
    const get = await fetch(`${server.origin}${BASE_PATH}/s1`, { headers: { origin: denied } });

    expect(options.headers.get('access-control-allow-origin')).toBe('*');
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('rejects the wildcard origin together with credentials', () => {
    expect(() =>
      createIntegrationsHandler({
        context: createFixtureContext(),
        cors: { origins: ['*'], credentials: true },
      }),
    ).toThrow(TypeError);
  });

  it('answers HEAD with CORS headers and no body', async () => {
    const server = await serveWith({ origins: [allowed] });

    const response = await fetch(`${server.origin}${BASE_PATH}/s1/i1`, {
      method: 'HEAD',
      headers: { origin: allowed },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(await response.text()).toBe('');
  });
});
