import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  InMemoryProvider,
  IntegrationContext,
  type IntegrationCreate,
} from '../../../src/core/index.js';
import { FileSystemProvider } from '../../../src/server/filesystem/index.js';
import { createIntegrationsHandler } from '../../../src/server/index.js';
import { createFixtureContext, SCRATCH } from './fixtures.js';
import { BASE_PATH, expectProblem, readResponse, startServer, type TestServer } from './http.js';

/** A request whose JSON text is written by hand, so `__proto__` stays an own key. */
interface PollutionCase {
  name: string;
  method?: string;
  path: string;
  text: string;
  /** The field the 422 must name. */
  field: string;
}

const rejected: PollutionCase[] = [
  {
    name: '__proto__ in a create body',
    path: '/s1',
    text: `{"provider":"${SCRATCH}","name":"x","__proto__":{"polluted":true}}`,
    field: '__proto__',
  },
  {
    name: '__proto__ nested in a create body',
    path: '/s1',
    text: `{"provider":"${SCRATCH}","name":"x","meta":{"deep":[{"__proto__":{"polluted":true}}]}}`,
    field: 'meta.deep.0.__proto__',
  },
  {
    name: '__proto__ as a key of resources',
    path: '/s1',
    text: `{"provider":"${SCRATCH}","name":"x","resources":{"__proto__":{"resource_type":"file","name":"f"}}}`,
    field: 'resources.__proto__',
  },
  {
    name: '__proto__ inside a nested resource',
    path: '/s1',
    text: `{"provider":"${SCRATCH}","name":"x","resources":{"a":{"resource_type":"file","name":"f","__proto__":{"polluted":true}}}}`,
    field: 'resources.a.__proto__',
  },
  {
    name: '__proto__ as a new uuid',
    path: '/s1',
    text: `{"provider":"${SCRATCH}","name":"x","uuid":"__proto__"}`,
    field: 'uuid',
  },
  {
    name: '__proto__ as a nested resource id',
    path: '/s1',
    text: `{"provider":"${SCRATCH}","name":"x","resources":{"a":{"resource_type":"file","name":"f","resource_id":"__proto__"}}}`,
    field: 'resources.a.resource_id',
  },
  {
    name: '__proto__ in an integration update',
    path: '/s1/i1',
    text: '{"name":"x","__proto__":{"polluted":true}}',
    field: '__proto__',
  },
  {
    name: '__proto__ under constructor in an update',
    path: '/s1/i1',
    text: '{"constructor":{"__proto__":{"polluted":true}}}',
    field: 'constructor.__proto__',
  },
  {
    name: '__proto__ in a resource payload',
    path: '/s1/i1/new',
    text: '{"resource_type":"file","name":"f","__proto__":{"polluted":true}}',
    field: '__proto__',
  },
  {
    name: '__proto__ as a new resource id',
    path: '/s1/i1/new',
    text: '{"resource_type":"file","name":"f","resource_id":"__proto__"}',
    field: 'resource_id',
  },
  {
    name: '__proto__ nested in a resource update',
    path: '/s1/i1/file/r1',
    text: '{"name":"f","extra":{"list":[1,{"__proto__":{"polluted":true}}]}}',
    field: 'extra.list.1.__proto__',
  },
];

const constructorPayload = {
  constructor: { prototype: { polluted: true } },
  prototype: { polluted: true },
  toString: 'not a function',
  hasOwnProperty: 1,
};

function expectCleanPrototypes(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(typeof {}.toString).toBe('function');
}

describe('prototype pollution over HTTP', () => {
  let server: TestServer;
  let context: IntegrationContext;

  async function post(path: string, text: string): Promise<Response> {
    return fetch(`${server.origin}${BASE_PATH}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    });
  }

  beforeAll(async () => {
    context = createFixtureContext();
    server = await startServer(createIntegrationsHandler({ context }));
  });
  afterEach(() => expectCleanPrototypes());
  afterAll(() => server.close());

  it.each(rejected)('rejects $name with 422 naming $field', async (testCase) => {
    const before = JSON.stringify(await context.listIntegrations());

    const response = await readResponse(await post(testCase.path, testCase.text));

    const problem = expectProblem(response, 422, 'validation_failed');
    expect(problem.errors).toEqual([{ path: testCase.field, message: expect.any(String) }]);
    expect(problem.detail).toContain(testCase.field);
    expect(JSON.stringify(await context.listIntegrations())).toBe(before);
  });

  it('stores constructor and prototype as ordinary integration fields', async () => {
    const response = await post(
      '/s1',
      JSON.stringify({ provider: SCRATCH, name: 'Constructors', ...constructorPayload }),
    );
    expect(response.status).toBe(201);
    const created = (await response.json()) as { uuid: string };

    const read = await fetch(`${server.origin}${BASE_PATH}/s1/${created.uuid}`);
    const stored = await context.getIntegration(created.uuid);

    expect(await read.json()).toMatchObject(constructorPayload);
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(stored.resources)).toBe(Object.prototype);
    expect(Object.hasOwn(stored, 'constructor')).toBe(true);
    expect(stored.constructor).toEqual({ prototype: { polluted: true } });
  });

  it('updates constructor.prototype as an ordinary nested field', async () => {
    const response = await post(
      '/s1/i1',
      JSON.stringify({ constructor: { prototype: { polluted: 'updated' } } }),
    );

    expect(response.status).toBe(200);
    const stored = await context.getIntegration('i1');
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
    expect((stored as Record<string, unknown>).constructor).toEqual({
      prototype: { polluted: 'updated' },
    });
  });

  it('stores constructor and prototype in resource payloads', async () => {
    const response = await post(
      '/s1/i1/new',
      JSON.stringify({ resource_type: 'file', name: 'c.md', ...constructorPayload }),
    );
    expect(response.status).toBe(201);
    const { resource_id: resourceId } = (await response.json()) as { resource_id: string };

    const updated = await post(
      `/s1/i1/file/${resourceId}`,
      JSON.stringify({ constructor: { prototype: { polluted: 'again' } } }),
    );
    const stored = await context.getResource('i1', resourceId);

    expect(updated.status).toBe(200);
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
    expect(stored).toMatchObject({ constructor: { prototype: { polluted: 'again' } } });
    expect(stored.prototype).toEqual({ polluted: true });
  });

  it('creates nested resources keyed constructor and prototype', async () => {
    const response = await post(
      '/s1',
      JSON.stringify({
        provider: SCRATCH,
        name: 'Keys',
        resources: {
          constructor: { resource_type: 'file', name: 'a' },
          prototype: { resource_type: 'file', name: 'b' },
        },
      }),
    );
    expect(response.status).toBe(201);
    const created = (await response.json()) as { uuid: string };

    const stored = await context.getIntegration(created.uuid);

    expect(Object.keys(stored.resources).sort()).toEqual(['constructor', 'prototype']);
    expect(Object.getPrototypeOf(stored.resources)).toBe(Object.prototype);
  });
});

describe('prototype pollution through the in-memory provider directly', () => {
  afterEach(() => expectCleanPrototypes());

  it('drops __proto__ keys without changing a prototype', () => {
    const provider = new InMemoryProvider({ slug: 'direct' });
    const payload = JSON.parse(
      '{"uuid":"d1","slug":"d","name":"Direct","__proto__":{"polluted":true},"nested":{"__proto__":{"polluted":true}}}',
    ) as IntegrationCreate;

    const created = provider.addIntegration(payload);

    expect(Object.getPrototypeOf(created)).toBe(Object.prototype);
    expect(Object.hasOwn(created, '__proto__')).toBe(false);
    expect((created as Record<string, unknown>).polluted).toBeUndefined();
    const nested = (provider.getIntegration('d1') as Record<string, unknown>).nested as object;
    expect((nested as Record<string, unknown>).polluted).toBeUndefined();
  });
});

/** An api.yaml whose keys try to reach prototypes when parsed. */
const POLLUTED_YAML = `uuid: p1
name: Polluted
description: From disk
datatype: api
slug: polluted
__proto__:
  polluted: true
constructor:
  prototype:
    polluted: true
resources:
  r1:
    resource_type: example
    resource_id: r1
    query: q
    code: c
    __proto__:
      polluted: true
  __proto__:
    resource_type: example
    resource_id: __proto__
    query: q
    code: c
`;

describe('prototype pollution through the filesystem provider', () => {
  let root: string;
  let server: TestServer;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'beaker-pollution-'));
    const folder = path.join(root, 'specifications', 'polluted');
    await mkdir(path.join(folder, 'attachments'), { recursive: true });
    await writeFile(path.join(folder, 'api.yaml'), POLLUTED_YAML);
    const context = new IntegrationContext({
      providers: [new FileSystemProvider({ root, slug: 'local' })],
    });
    server = await startServer(createIntegrationsHandler({ context }));
  });
  afterEach(() => expectCleanPrototypes());
  afterAll(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('drops __proto__ keys of an api.yaml without changing a prototype', async () => {
    const response = await fetch(`${server.origin}${BASE_PATH}/s1/p1`);
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(text).not.toContain('__proto__');
    const integration = JSON.parse(text) as { constructor: unknown; resources: object };
    expect(integration.constructor).toEqual({ prototype: { polluted: true } });
    expect(Object.keys(integration.resources)).toEqual(['r1']);
  });

  it('rejects __proto__ in a write before the provider stores it', async () => {
    const response = await fetch(`${server.origin}${BASE_PATH}/s1/p1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"description":"x","__proto__":{"polluted":true}}',
    });

    expectProblem(await readResponse(response), 422, 'validation_failed');
  });

  it('stores constructor and prototype fields on disk and reads them back', async () => {
    const created = await fetch(`${server.origin}${BASE_PATH}/s1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        provider: 'filesystem:local',
        uuid: 'c1',
        name: 'Kept',
        ...constructorPayload,
      }),
    });
    expect(created.status).toBe(201);

    const fresh = new FileSystemProvider({ root, slug: 'local' });
    const stored = await new IntegrationContext({ providers: [fresh] }).getIntegration('c1');

    expect(stored).toMatchObject(constructorPayload);
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
  });
});
