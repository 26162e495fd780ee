import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slugify } from '../../../src/core/index.js';
import { createIntegrationsHandler, type IntegrationsHandler } from '../../../src/server/index.js';
import { createFixtureContext, SCRATCH } from './fixtures.js';
import { BASE_PATH, PROBLEM_TYPE, startServer, type TestServer } from './http.js';

/** Runs of each property; the figures in docs/reliability.md come from these. */
const FUZZ_RUNS_IN_PROCESS = 300;
const FUZZ_RUNS_OVER_HTTP = 200;
const ROUND_TRIP_RUNS = 200;
/** A fixed seed keeps CI runs repeatable; set `FAST_CHECK_SEED` to explore other inputs. */
const SEED = Number(process.env.FAST_CHECK_SEED ?? 20_240_501);

const INTEGRATION_FIELDS = new Set([
  'uuid',
  'name',
  'description',
  'provider',
  'slug',
  'datatype',
  'url',
  'img_url',
  'source',
  'last_updated',
  'resources',
]);
const RESOURCE_FIELDS = new Set(['resource_type', 'resource_id', 'integration']);
const RESERVED_IDS = new Set(['__proto__', '.', '..']);

/** Path segments: the fixture's ids, route words, odd text and raw escapes. */
const segment = fc.oneof(
  fc.constantFrom('s1', 'i1', 'r1', 'ex1', 'ro1', 'q1', 'all', 'new', 'any', 'file', 'example'),
  fc.constantFrom('', '.', '..', '%', '%2', '%zz', '%2F', '%2e%2e', '%C0%AF', '%FF', '__proto__'),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 8 }).map(encodeURIComponent),
  fc.constant('x'.repeat(520)),
);

const method = fc.constantFrom('GET', 'HEAD', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS');

const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/problem+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  '',
);

/** Bodies: arbitrary JSON, JSON objects with route fields mixed in, and text that is not JSON. */
const body = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc
    .record(
      {
        provider: fc.constantFrom(SCRATCH, 'catalog:public', 'nope:x', ''),
        name: fc.string(),
        uuid: fc.string(),
        resource_type: fc.constantFrom('file', 'example', 'custom', ''),
        resource_id: fc.string(),
        datatype: fc.string(),
        last_updated: fc.string(),
        resources: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 40 }),
);

const request = fc.record({
  method,
  segments: fc.array(segment, { maxLength: 6 }),
  contentType,
  body,
  ifMatch: fc.option(fc.constantFrom('*', '"stale-1"', 'W/"x"', ''), { nil: undefined }),
});

type FuzzRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

function initOf(fuzz: FuzzRequest): RequestInit {
  const headers: Record<string, string> = {};
  if (fuzz.contentType !== undefined) headers['content-type'] = fuzz.contentType;
  if (fuzz.ifMatch !== undefined) headers['if-match'] = fuzz.ifMatch;
  const hasBody = fuzz.method !== 'GET' && fuzz.method !== 'HEAD';

  return { method: fuzz.method, headers, body: hasBody ? fuzz.body : undefined };
}

/** Checks that a response is not a server error, and that every error is a problem document. */
async function expectWellFormed(response: Response): Promise<void> {
  expect(response.status).toBeLessThan(500);
  if (response.status < 400) return;

  expect(response.headers.get('content-type')).toBe(PROBLEM_TYPE);
  const text = await response.text();
  if (text === '') return;
  const problem = JSON.parse(text) as { status: number; code: string };
  expect(problem.status).toBe(response.status);
  expect(problem.code).toMatch(/^[a-z_]+$/);
}

function fieldName(known: ReadonlySet<string>) {
  return fc
    .string({ minLength: 1, maxLength: 12 })
    .filter((key) => !known.has(key) && !RESERVED_IDS.has(key));
}

const optionalText = fc.option(fc.string({ maxLength: 30 }), { nil: undefined });
const nullableText = fc.option(fc.option(fc.string({ maxLength: 30 }), { nil: null }), {
  nil: undefined,
});
/** Extra fields that pass through; `__proto__` keys, which fast-check can make, get a 422. */
const extraFields = (known: ReadonlySet<string>) =>
  fc
    .dictionary(fieldName(known), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
    .filter((fields) => !JSON.stringify(fields).includes('"__proto__"'));

const timestamp = fc
  .date({
    min: new Date('1970-01-01T00:00:00Z'),
    max: new Date('9999-12-31T23:59:59Z'),
    noInvalidDate: true,
  })
  .chain((date) =>
    fc.constantFrom(
      { sent: date.toISOString(), stored: date.toISOString() },
      {
        sent: date.toISOString().slice(0, 19).replace('T', ' '),
        stored: date.toISOString().slice(0, 19),
      },
    ),
  );

const integrationPayload = fc.record(
  {
    name: fc.string({ minLength: 1, maxLength: 40 }),
    description: optionalText,
    slug: fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
    datatype: fc.option(fc.constantFrom('api', 'database', 'dataset'), { nil: undefined }),
    url: nullableText,
    img_url: nullableText,
    source: nullableText,
    last_updated: fc.option(timestamp, { nil: undefined }),
    uuid: fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
    extra: extraFields(INTEGRATION_FIELDS),
  },
  { requiredKeys: ['name', 'extra'] },
);

const resourcePayload = fc.oneof(
  fc.record({
    resource_type: fc.constant('file'),
    name: fc.string({ maxLength: 30 }),
    filepath: nullableText,
    content: nullableText,
  }),
  fc.record({
    resource_type: fc.constant('example'),
    query: fc.string({ maxLength: 30 }),
    code: fc.string({ maxLength: 30 }),
    notes: nullableText,
  }),
  fc.record({
    resource_type: fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((type) => !['file', 'example', 'new', 'any', 'all'].includes(type)),
  }),
);

const resourceCase = fc.record({
  fields: resourcePayload,
  resourceId: fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
  extra: extraFields(
    new Set([...RESOURCE_FIELDS, 'name', 'filepath', 'content', 'query', 'code', 'notes']),
  ),
});

/** Removes undefined members, as JSON does. */
function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe('random requests', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  let handler: IntegrationsHandler;
  let server: TestServer;

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    handler = createIntegrationsHandler({ context: createFixtureContext(), maxBodyBytes: 4096 });
    server = await startServer(handler);
  });
  afterAll(async () => {
    await server.close();
    process.off('unhandledRejection', onUnhandled);
  });

  it(`never answers 500 in process (${FUZZ_RUNS_IN_PROCESS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(request, async (fuzz) => {
        const url = `http://localhost${BASE_PATH}/${fuzz.segments.join('/')}`;

        await expectWellFormed(await handler(new Request(url, initOf(fuzz))));
      }),
      { numRuns: FUZZ_RUNS_IN_PROCESS, seed: SEED },
    );

    expect(unhandled).toEqual([]);
  });

  it(`never answers 500 over HTTP (${FUZZ_RUNS_OVER_HTTP} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(request, async (fuzz) => {
        const url = `${server.origin}${BASE_PATH}/${fuzz.segments.join('/')}`;

        await expectWellFormed(await fetch(url, initOf(fuzz)));
      }),
      { numRuns: FUZZ_RUNS_OVER_HTTP, seed: SEED },
    );

    expect(unhandled).toEqual([]);
  });
});

describe('create-then-get round trips over HTTP', () => {
  let server: TestServer;
  let counter = 0;

  beforeAll(async () => {
    server = await startServer(createIntegrationsHandler({ context: createFixtureContext() }));
  });
  afterAll(() => server.close());

  async function send(
    path: string,
    init?: RequestInit,
  ): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${server.origin}${BASE_PATH}${path}`, init);

    return { status: response.status, json: await response.json() };
  }

  function post(path: string, payload: object) {
    return send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
  }

  it(`keeps every integration as sent (${ROUND_TRIP_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(integrationPayload, async ({ extra, last_updated, uuid, ...fields }) => {
        counter += 1;
        // A counter keeps generated uuids distinct, so no run collides with an earlier one.
        const id = uuid === undefined ? undefined : `${uuid}-${counter}`;
        const payload = { ...extra, ...fields, uuid: id, last_updated: last_updated?.sent };

        const created = await post('/s1', { provider: SCRATCH, ...payload });
        expect(created.status).toBe(201);
        const createdUuid = (created.json as { uuid: string }).uuid;
        const read = await send(`/s1/${encodeURIComponent(createdUuid)}`);

        const expected = {
          ...jsonCopy(payload),
          uuid: id ?? createdUuid,
          provider: SCRATCH,
          slug: fields.slug ?? slugify(fields.name),
          datatype: fields.datatype ?? 'api',
          description: fields.description ?? '',
          ...(last_updated === undefined ? {} : { last_updated: last_updated.stored }),
          resources: {},
        };
        expect(read.status).toBe(200);
        expect(read.json).toEqual(expected);
        expect(created.json).toEqual(read.json);
        expect(createdUuid).not.toBe('');
      }),
      { numRuns: ROUND_TRIP_RUNS, seed: SEED },
    );
  });

  it(`keeps every resource as sent (${ROUND_TRIP_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(resourceCase, async ({ fields, resourceId, extra }) => {
        counter += 1;
        const id = resourceId === undefined ? undefined : `${resourceId}-${counter}`;
        const payload = { ...extra, ...fields, resource_id: id };

        const created = await post('/s1/i1/new', payload);
        expect(created.status).toBe(201);
        const createdId = (created.json as { resource_id: string }).resource_id;
        const read = await send(`/s1/i1/any/${encodeURIComponent(createdId)}`);

        expect(read.status).toBe(200);
        expect(read.json).toEqual({
          ...jsonCopy(payload),
          resource_id: id ?? createdId,
          integration: 'i1',
        });
        expect(created.json).toEqual(read.json);
      }),
      { numRuns: ROUND_TRIP_RUNS, seed: SEED },
    );
  });
});
