import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CallOptions, IntegrationContext } from '../../../src/core/index.js';
import { createIntegrationsHandler } from '../../../src/server/index.js';
import { createFixtureContext } from './fixtures.js';
import {
  BASE_PATH,
  expectProblem,
  readResponse,
  recordingLogger,
  startServer,
  type TestServer,
} from './http.js';
import { ScriptedProvider } from './scripted-provider.js';

const ETAG = /^"[0-9a-z]+-[0-9a-z]+"$/;

describe('ETag and If-Match over HTTP', () => {
  let server: TestServer | undefined;
  let context: IntegrationContext;

  beforeEach(async () => {
    await server?.close();
    context = createFixtureContext();
    server = await startServer(createIntegrationsHandler({ context }));
  });
  afterAll(() => server?.close());

  function url(path: string): string {
    return `${server!.origin}${BASE_PATH}${path}`;
  }

  async function etagOf(path: string): Promise<string> {
    const response = await fetch(url(path));
    expect(response.status).toBe(200);

    return response.headers.get('etag')!;
  }

  function post(path: string, body: object, ifMatch?: string) {
    return fetch(url(path), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }),
      },
      body: JSON.stringify(body),
    });
  }

  function remove(path: string, ifMatch: string) {
    return fetch(url(path), { method: 'DELETE', headers: { 'if-match': ifMatch } });
  }

  it('sends a strong ETag with one integration and one resource', async () => {
    const integration = await fetch(url('/s1/i1'));
    const resource = await fetch(url('/s1/i1/file/r1'));
    const head = await fetch(url('/s1/i1'), { method: 'HEAD' });

    expect(integration.headers.get('etag')).toMatch(ETAG);
    expect(resource.headers.get('etag')).toMatch(ETAG);
    expect(head.headers.get('etag')).toBe(integration.headers.get('etag'));
  });

  it('keeps the ETag while nothing changes and changes it after a write', async () => {
    const first = await etagOf('/s1/i1');
    const second = await etagOf('/s1/i1');
    await post('/s1/i1', { description: 'Changed' });

    expect(second).toBe(first);
    expect(await etagOf('/s1/i1')).not.toBe(first);
  });

  it('returns the ETag of the stored version after a write', async () => {
    const response = await post('/s1/i1/file/r1', { name: 'renamed.md' });

    expect(response.headers.get('etag')).toBe(await etagOf('/s1/i1/file/r1'));
  });

  describe('R6 POST of an integration', () => {
    it('applies the update when If-Match matches', async () => {
      const etag = await etagOf('/s1/i1');

      const response = await post('/s1/i1', { name: 'Renamed' }, etag);

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ name: 'Renamed' });
    });

    it('answers 412 to a stale If-Match and keeps the data', async () => {
      const stale = await etagOf('/s1/i1');
      await post('/s1/i1', { description: 'First writer' });
      const current = await etagOf('/s1/i1');

      const response = await post('/s1/i1', { description: 'Second writer' }, stale);

      const problem = expectProblem(await readResponse(response), 412, 'precondition_failed');
      expect(problem.etag).toBe(current);
      expect((await context.getIntegration('i1')).description).toBe('First writer');
    });

    it('accepts *', async () => {
      expect((await post('/s1/i1', { name: 'Star' }, '*')).status).toBe(200);
    });

    it('accepts a list that holds the current ETag', async () => {
      const etag = await etagOf('/s1/i1');

      expect((await post('/s1/i1', { name: 'Listed' }, `"old-1", ${etag}`)).status).toBe(200);
    });

    it('never matches a weak ETag', async () => {
      const etag = await etagOf('/s1/i1');

      const response = await post('/s1/i1', { name: 'Weak' }, `W/${etag}`);

      expectProblem(await readResponse(response), 412, 'precondition_failed');
    });

    it('chains updates with the ETag of each response', async () => {
      let etag = await etagOf('/s1/i1');
      for (const name of ['One', 'Two', 'Three']) {
        const response = await post('/s1/i1', { name }, etag);
        expect(response.status).toBe(200);
        etag = response.headers.get('etag')!;
      }

      expect((await context.getIntegration('i1')).name).toBe('Three');
    });
  });

  describe('R8 POST of a resource', () => {
    it('applies the update when If-Match matches', async () => {
      const etag = await etagOf('/s1/i1/file/r1');

      const response = await post('/s1/i1/file/r1', { name: 'new.md' }, etag);

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ name: 'new.md' });
    });

    it('answers 412 to a stale If-Match', async () => {
      const stale = await etagOf('/s1/i1/file/r1');
      await post('/s1/i1/file/r1', { content: 'changed' });

      const response = await post('/s1/i1/new/r1', { name: 'late.md' }, stale);

      expectProblem(await readResponse(response), 412, 'precondition_failed');
      expect((await context.getResource('i1', 'r1')).name).toBe('usage.md');
    });

    it('accepts *', async () => {
      expect((await post('/s1/i1/file/r1', { name: 'star.md' }, '*')).status).toBe(200);
    });
  });

  describe('R9 DELETE of a resource', () => {
    it('removes the resource when If-Match matches', async () => {
      const etag = await etagOf('/s1/i1/example/ex1');

      const response = await remove('/s1/i1/any/ex1', etag);

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({});
      await expect(context.getResource('i1', 'ex1')).rejects.toMatchObject({
        code: 'resource_not_found',
      });
    });

    it('answers 412 to a stale If-Match and keeps the resource', async () => {
      const stale = await etagOf('/s1/i1/example/ex1');
      await post('/s1/i1/example/ex1', { notes: 'edited' });

      const response = await remove('/s1/i1/any/ex1', stale);

      expectProblem(await readResponse(response), 412, 'precondition_failed');
      expect((await context.getResource('i1', 'ex1')).notes).toBe('edited');
    });

    it('accepts *', async () => {
      expect((await remove('/s1/i1/any/ex1', '*')).status).toBe(200);
    });
  });

  describe('R10 DELETE of an integration', () => {
    it('removes the integration when If-Match matches', async () => {
      const etag = await etagOf('/s1/i1');

      const response = await remove('/s1/i1', etag);

      expect(response.status).toBe(200);
      expect((await fetch(url('/s1/i1'))).status).toBe(404);
    });

    it('answers 412 to a stale If-Match and keeps the integration', async () => {
      const stale = await etagOf('/s1/i1');
      await post('/s1/i1/new', { resource_type: 'file', name: 'added.md' });

      const response = await remove('/s1/i1', stale);

      expectProblem(await readResponse(response), 412, 'precondition_failed');
      expect((await fetch(url('/s1/i1'))).status).toBe(200);
    });

    it('accepts *', async () => {
      expect((await remove('/s1/i1', '*')).status).toBe(200);
    });
  });

  describe('concurrent conditional writes', () => {
    it('lets exactly one of 20 updates with the same If-Match win', async () => {
      const etag = await etagOf('/s1/i1');

      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, index) => post('/s1/i1', { name: `Writer ${index}` }, etag)),
      );

      const statuses = responses.map((response) => response.status).sort();
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 412)).toHaveLength(19);
      const winner = responses.find((response) => response.status === 200)!;
      const winnerName = ((await winner.json()) as { name: string }).name;
      expect((await context.getIntegration('i1')).name).toBe(winnerName);
    });

    it('lets exactly one of 20 resource updates with the same If-Match win', async () => {
      const etag = await etagOf('/s1/i1/file/r1');

      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          post('/s1/i1/file/r1', { content: `Writer ${index}` }, etag),
        ),
      );

      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 412)).toHaveLength(19);
    });
  });
});

/** Waits a few milliseconds, as a provider that reads and writes over the network would. */
function latency(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 3));
}

/**
 * Makes every call of a scripted provider take a snapshot first and return it after some latency,
 * so that concurrent requests interleave between the `If-Match` check and the write.
 */
function addLatency(provider: ScriptedProvider, memory: ScriptedProvider): void {
  for (const method of [
    'getIntegration',
    'listResources',
    'getResource',
    'updateIntegration',
    'updateResource',
    'addResource',
    'removeResource',
    'removeIntegration',
  ] as const) {
    provider.script(method, async (...args: unknown[]) => {
      const result = await (memory[method] as (...values: unknown[]) => unknown)(...args);
      await latency();

      return result;
    });
  }
}

describe('If-Match with a provider that awaits I/O', () => {
  let server: TestServer;
  let provider: ScriptedProvider;
  let context: IntegrationContext;
  const logger = recordingLogger();

  beforeEach(async () => {
    const memory = new ScriptedProvider({
      slug: 'slow',
      integrations: [
        { uuid: 'i1', name: 'Slow', resources: { r1: { resource_type: 'file', name: 'f' } } },
      ],
    });
    provider = new ScriptedProvider({ slug: 'slow' });
    addLatency(provider, memory);
    provider.script('listIntegrations', (options) =>
      memory.listIntegrations(options as CallOptions),
    );
    context = new IntegrationContext({ providers: [provider] });
    logger.entries.length = 0;
    server = await startServer(createIntegrationsHandler({ context, timeoutMs: 150, logger }));
  });
  afterEach(() => server.close());

  function url(path: string): string {
    return `${server.origin}${BASE_PATH}${path}`;
  }

  function post(path: string, body: object, ifMatch?: string) {
    return fetch(url(path), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }),
      },
      body: JSON.stringify(body),
    });
  }

  it('lets exactly one of 20 updates with the same If-Match win', async () => {
    const etag = (await fetch(url('/s1/i1'))).headers.get('etag')!;

    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) => post('/s1/i1', { name: `Writer ${index}` }, etag)),
    );

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 412)).toHaveLength(19);
  });

  it('lets exactly one of 20 deletes with the same If-Match win', async () => {
    const etag = (await fetch(url('/s1/i1/file/r1'))).headers.get('etag')!;

    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(url('/s1/i1/any/r1'), { method: 'DELETE', headers: { 'if-match': etag } }),
      ),
    );

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 404 || status === 412)).toHaveLength(19);
  });

  it('applies every one of 20 concurrent unconditional writes', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        post('/s1/i1/new', { resource_type: 'file', resource_id: `n${index}`, name: `${index}` }),
      ),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
    const listed = (await (await fetch(url('/s1/i1/all'))).json()) as { resources: unknown[] };
    expect(listed.resources).toHaveLength(21);
  });

  it('lets later writes run after a write that never settles times out', async () => {
    // A second handler over the same context shares its write queue but waits longer, so the
    // later write outlives the stuck one however slow the machine is.
    const patient = await startServer(createIntegrationsHandler({ context, timeoutMs: 10_000 }));
    provider.script('updateIntegration', () => new Promise(() => undefined));
    const stuck = post('/s1/i1', { name: 'Stuck' });
    await new Promise((resolve) => setTimeout(resolve, 20));

    const started = performance.now();
    const next = await fetch(`${patient.origin}${BASE_PATH}/s1/i1/new`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resource_type: 'file', name: 'after' }),
    });
    const waited = performance.now() - started;
    await patient.close();

    expectProblem(await readResponse(await stuck), 504, 'provider_timeout');
    expect(next.status).toBe(201);
    // The later write started 20 ms after the stuck one and waited for its 150 ms timeout.
    expect(waited).toBeGreaterThanOrEqual(100);
    expect(logger.entries.map((entry) => entry.details?.code)).toEqual(['provider_timeout']);
  });
});
