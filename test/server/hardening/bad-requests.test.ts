import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationContext } from '../../../src/core/index.js';
import { createIntegrationsHandler } from '../../../src/server/index.js';
import { CATALOG, createFixtureContext, SCRATCH } from './fixtures.js';
import {
  BASE_PATH,
  expectProblem,
  fromRaw,
  rawRequest,
  recordingLogger,
  startServer,
  type TestServer,
} from './http.js';

/** One bad request and the exact response it gets. */
interface BadRequestCase {
  name: string;
  method: string;
  /** Path below the base path, sent on the request line as written. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  status: number;
  code: string;
  /** Extra members the problem document must have. */
  problem?: Record<string, unknown>;
  /** The `Allow` header a 405 must carry. */
  allow?: string;
}

const MAX_BODY_BYTES = 4096;
const JSON_HEADERS = { 'content-type': 'application/json' };
const TOO_LONG = 'x'.repeat(513);
const EURO_513_BYTES = encodeURIComponent('€'.repeat(171));

function post(path: string, body: unknown, status: number, code: string): BadRequestCase {
  return {
    name: `POST ${path} ${JSON.stringify(body).slice(0, 60)}`,
    method: 'POST',
    path,
    headers: JSON_HEADERS,
    body: JSON.stringify(body),
    status,
    code,
  };
}

function bodyCase(name: string, body: string | Uint8Array, status: number, code: string) {
  return { name, method: 'POST', path: '/s1', headers: JSON_HEADERS, body, status, code };
}

function mediaType(contentType: string): BadRequestCase {
  return {
    name: `POST /s1 with Content-Type ${contentType}`,
    method: 'POST',
    path: '/s1',
    headers: { 'content-type': contentType },
    body: JSON.stringify({ provider: SCRATCH, name: 'x' }),
    status: 415,
    code: 'unsupported_media_type',
  };
}

const methodCases: BadRequestCase[] = [
  ['PUT', '/s1', 'GET, POST, HEAD, OPTIONS'],
  ['PATCH', '/s1/i1', 'GET, POST, DELETE, HEAD, OPTIONS'],
  ['PUT', '/s1/i1/all', 'GET, POST, HEAD, OPTIONS'],
  ['PATCH', '/s1/i1/file/r1', 'GET, POST, DELETE, HEAD, OPTIONS'],
  ['DELETE', '/s1', 'GET, POST, HEAD, OPTIONS'],
  ['DELETE', '/s1/i1/all', 'GET, POST, HEAD, OPTIONS'],
  ['PROPFIND', '/s1', 'GET, POST, HEAD, OPTIONS'],
  ['TRACE', '/s1/i1', 'GET, POST, DELETE, HEAD, OPTIONS'],
  ['MKCOL', '/s1/i1', 'GET, POST, DELETE, HEAD, OPTIONS'],
  ['PURGE', '/s1', 'GET, POST, HEAD, OPTIONS'],
  ['LOCK', '/s1/i1/file/r1', 'GET, POST, DELETE, HEAD, OPTIONS'],
].map(([method, path, allow]) => ({
  name: `${method} ${path}`,
  method: method!,
  path: path!,
  status: 405,
  code: 'method_not_allowed',
  allow,
}));

const pathCases: BadRequestCase[] = [
  {
    name: 'a path outside the base path',
    method: 'GET',
    path: '/../other',
    status: 404,
    code: 'route_not_found',
  },
  { name: 'the base path alone', method: 'GET', path: '', status: 404, code: 'route_not_found' },
  {
    name: 'the base path with a slash',
    method: 'GET',
    path: '/',
    status: 404,
    code: 'route_not_found',
  },
  {
    name: 'a segment too many',
    method: 'GET',
    path: '/s1/i1/file/r1/extra',
    status: 404,
    code: 'route_not_found',
  },
  {
    name: 'an empty session segment',
    method: 'GET',
    path: '//s1',
    status: 404,
    code: 'route_not_found',
  },
  {
    name: 'an empty integration segment',
    method: 'GET',
    path: '/s1//i1',
    status: 404,
    code: 'route_not_found',
  },
  {
    name: 'an empty resource type segment',
    method: 'GET',
    path: '/s1/i1//r1',
    status: 404,
    code: 'route_not_found',
  },
  {
    name: 'POST to an empty segment',
    method: 'POST',
    path: '/s1//new',
    headers: JSON_HEADERS,
    body: '{}',
    status: 404,
    code: 'route_not_found',
  },
  {
    name: '.. as the integration id',
    method: 'GET',
    path: '/s1/..',
    status: 404,
    code: 'route_not_found',
  },
  {
    name: '%2e%2e as the integration id',
    method: 'GET',
    path: '/s1/%2e%2e',
    status: 404,
    code: 'route_not_found',
  },
  {
    name: 'POST to .. as the integration id',
    method: 'POST',
    path: '/s1/..',
    headers: JSON_HEADERS,
    body: '{}',
    status: 404,
    code: 'route_not_found',
  },
  {
    name: 'a lone percent sign',
    method: 'GET',
    path: '/s1/%',
    status: 400,
    code: 'invalid_path_parameter',
    problem: { parameter: 'integration_id' },
  },
  {
    name: 'a non-hex escape',
    method: 'GET',
    path: '/s1/%ZZ',
    status: 400,
    code: 'invalid_path_parameter',
  },
  {
    name: 'an escape that is not UTF-8',
    method: 'GET',
    path: '/s1/%FF',
    status: 400,
    code: 'invalid_path_parameter',
  },
  {
    name: 'an overlong UTF-8 escape',
    method: 'GET',
    path: '/s1/%C0%AF',
    status: 400,
    code: 'invalid_path_parameter',
  },
  {
    name: 'a truncated UTF-8 escape',
    method: 'GET',
    path: '/s1/i1/%E2%82',
    status: 400,
    code: 'invalid_path_parameter',
    problem: { parameter: 'resource_type' },
  },
  {
    name: 'a malformed session id',
    method: 'GET',
    path: '/%zz',
    status: 400,
    code: 'invalid_path_parameter',
    problem: { parameter: 'session_id' },
  },
  {
    name: 'a malformed resource id',
    method: 'DELETE',
    path: '/s1/i1/file/%G0',
    status: 400,
    code: 'invalid_path_parameter',
    problem: { parameter: 'resource_id' },
  },
  {
    name: 'a 513-byte integration id',
    method: 'GET',
    path: `/s1/${TOO_LONG}`,
    status: 414,
    code: 'path_parameter_too_long',
    problem: { parameter: 'integration_id', max_bytes: 512 },
  },
  {
    name: 'a 513-byte session id',
    method: 'GET',
    path: `/${TOO_LONG}`,
    status: 414,
    code: 'path_parameter_too_long',
    problem: { parameter: 'session_id' },
  },
  {
    name: 'a 513-byte id of multi-byte characters',
    method: 'GET',
    path: `/s1/${EURO_513_BYTES}`,
    status: 414,
    code: 'path_parameter_too_long',
  },
  {
    name: 'a 600-byte resource id',
    method: 'POST',
    path: `/s1/i1/file/${'r'.repeat(600)}`,
    headers: JSON_HEADERS,
    body: '{}',
    status: 414,
    code: 'path_parameter_too_long',
    problem: { parameter: 'resource_id' },
  },
  {
    name: 'an unknown session',
    method: 'GET',
    path: '/s2',
    status: 404,
    code: 'session_not_found',
    problem: { session_id: 's2' },
  },
  {
    name: 'an unknown integration',
    method: 'GET',
    path: '/s1/nope',
    status: 404,
    code: 'integration_not_found',
  },
  {
    name: '__proto__ as an integration id',
    method: 'GET',
    path: '/s1/__proto__',
    status: 404,
    code: 'integration_not_found',
    problem: { integration_id: '__proto__' },
  },
  {
    name: 'constructor as an integration id',
    method: 'GET',
    path: '/s1/constructor',
    status: 404,
    code: 'integration_not_found',
  },
  {
    name: 'an encoded slash in an id',
    method: 'GET',
    path: '/s1/i1%2Fall',
    status: 404,
    code: 'integration_not_found',
    problem: { integration_id: 'i1/all' },
  },
  {
    name: 'an unknown resource',
    method: 'GET',
    path: '/s1/i1/file/nope',
    status: 404,
    code: 'resource_not_found',
  },
  {
    name: 'a resource read through another type',
    method: 'GET',
    path: '/s1/i1/example/r1',
    status: 404,
    code: 'resource_not_found',
  },
  {
    name: '__proto__ as a resource id',
    method: 'GET',
    path: '/s1/i1/file/__proto__',
    status: 404,
    code: 'resource_not_found',
  },
  {
    name: 'hasOwnProperty as a resource id',
    method: 'GET',
    path: '/s1/ro1/example/hasOwnProperty',
    status: 404,
    code: 'resource_not_found',
  },
  {
    name: 'listing the resources of an unknown integration',
    method: 'GET',
    path: '/s1/nope/all',
    status: 404,
    code: 'integration_not_found',
  },
  {
    name: 'deleting an unknown integration',
    method: 'DELETE',
    path: '/s1/nope',
    status: 404,
    code: 'integration_not_found',
  },
  {
    name: 'deleting an unknown resource',
    method: 'DELETE',
    path: '/s1/i1/any/nope',
    status: 404,
    code: 'resource_not_found',
  },
  {
    name: 'deleting a resource through another type',
    method: 'DELETE',
    path: '/s1/i1/example/r1',
    status: 404,
    code: 'resource_not_found',
  },
  {
    name: 'deleting from a read-only provider',
    method: 'DELETE',
    path: '/s1/ro1',
    status: 405,
    code: 'provider_read_only',
    problem: { provider_id: CATALOG },
  },
  {
    name: 'deleting a read-only resource',
    method: 'DELETE',
    path: '/s1/ro1/any/q1',
    status: 405,
    code: 'provider_read_only',
  },
];

const headerCases: BadRequestCase[] = [
  mediaType('text/plain'),
  mediaType('application/x-www-form-urlencoded'),
  mediaType('multipart/form-data; boundary=x'),
  mediaType('text/json'),
  mediaType('application/jsonp'),
  mediaType('application/xml'),
  mediaType('application/json-seq'),
  {
    name: 'a gzip-encoded body',
    method: 'POST',
    path: '/s1',
    headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' },
    body: new Uint8Array(gzipSync(JSON.stringify({ provider: SCRATCH, name: 'x' }))),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a non-JSON type wins over an oversized body',
    method: 'POST',
    path: '/s1/i1',
    headers: { 'content-type': 'text/csv' },
    body: 'a,b\n'.repeat(MAX_BODY_BYTES),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a body one byte over the limit',
    method: 'POST',
    path: '/s1',
    headers: JSON_HEADERS,
    body: JSON.stringify({ provider: SCRATCH, name: 'x', pad: '' }).replace(
      '""',
      `"${'p'.repeat(MAX_BODY_BYTES - 40)}"`,
    ),
    status: 413,
    code: 'body_too_large',
    problem: { max_body_bytes: MAX_BODY_BYTES },
  },
  {
    name: 'an oversized body with no Content-Type',
    method: 'POST',
    path: '/s1/i1/new',
    body: ' '.repeat(MAX_BODY_BYTES + 1),
    status: 413,
    code: 'body_too_large',
  },
  {
    name: 'a stale If-Match on an integration update',
    method: 'POST',
    path: '/s1/i1',
    headers: { ...JSON_HEADERS, 'if-match': '"stale-1"' },
    body: '{"name":"Renamed"}',
    status: 412,
    code: 'precondition_failed',
  },
  {
    name: 'a weak If-Match, which never matches',
    method: 'DELETE',
    path: '/s1/i1',
    headers: { 'if-match': 'W/"stale-1"' },
    status: 412,
    code: 'precondition_failed',
  },
  {
    name: 'a stale If-Match on a resource delete',
    method: 'DELETE',
    path: '/s1/i1/any/r1',
    headers: { 'if-match': '"a", "b"' },
    status: 412,
    code: 'precondition_failed',
  },
  {
    name: 'If-Match on an unknown integration',
    method: 'DELETE',
    path: '/s1/nope',
    headers: { 'if-match': '*' },
    status: 404,
    code: 'integration_not_found',
  },
];

const bodyCases: BadRequestCase[] = [
  bodyCase('an empty body', '', 400, 'invalid_body'),
  bodyCase('a body of whitespace', ' \n\t ', 400, 'invalid_body'),
  bodyCase('an unterminated object', '{', 400, 'invalid_json'),
  bodyCase('a trailing comma', '{"name":"x",}', 400, 'invalid_json'),
  bodyCase('single-quoted JSON', "{'name':'x'}", 400, 'invalid_json'),
  bodyCase('a byte-order mark, which is skipped', '\uFEFF{"name":"x"}', 422, 'validation_failed'),
  bodyCase(
    'bytes that are not UTF-8',
    new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    400,
    'invalid_json',
  ),
  bodyCase('an array', '[]', 400, 'invalid_body'),
  bodyCase('null', 'null', 400, 'invalid_body'),
  bodyCase('a string', '"text"', 400, 'invalid_body'),
  bodyCase('a number', '42', 400, 'invalid_body'),
  bodyCase('true', 'true', 400, 'invalid_body'),
  bodyCase(
    'an array nested 2000 deep',
    `${'['.repeat(2000)}${']'.repeat(2000)}`,
    400,
    'invalid_body',
  ),
  post('/s1', {}, 422, 'validation_failed'),
  post('/s1', { provider: SCRATCH }, 422, 'validation_failed'),
  post('/s1', { provider: 42, name: 'x' }, 422, 'validation_failed'),
  post('/s1', { provider: '', name: 'x' }, 422, 'validation_failed'),
  post('/s1', { provider: 'nope:x', name: 'x' }, 404, 'provider_not_found'),
  post('/s1', { provider: '__proto__', name: 'x' }, 404, 'provider_not_found'),
  post('/s1', { provider: CATALOG, name: 'x' }, 405, 'provider_read_only'),
  post('/s1', { provider: SCRATCH, name: '' }, 422, 'validation_failed'),
  post('/s1', { provider: SCRATCH, name: 'x', datatype: 'blob' }, 422, 'validation_failed'),
  post('/s1', { provider: SCRATCH, name: 'x', uuid: 'i1' }, 409, 'integration_exists'),
  post('/s1', { provider: SCRATCH, name: 'x', uuid: '' }, 422, 'validation_failed'),
  post(
    '/s1',
    { provider: SCRATCH, name: 'x', last_updated: 'yesterday' },
    422,
    'validation_failed',
  ),
  post('/s1', { provider: SCRATCH, name: 'x', url: 42 }, 422, 'validation_failed'),
  post(
    '/s1',
    { provider: SCRATCH, name: 'x', resources: { a: { name: 'no type' } } },
    422,
    'validation_failed',
  ),
  post('/s1', { provider: SCRATCH, name: 'x', resources: [] }, 422, 'validation_failed'),
  {
    ...post(
      '/s1',
      {
        provider: SCRATCH,
        name: 'x',
        resources: {
          a: { resource_type: 'file', name: 'first', resource_id: 'x' },
          x: { resource_type: 'file', name: 'second' },
        },
      },
      422,
      'validation_failed',
    ),
    problem: { errors: [{ path: 'resources.x.resource_id', message: 'Duplicate resource id' }] },
  },
  bodyCase(
    '__proto__ in a create body',
    `{"provider":"${SCRATCH}","name":"x","__proto__":{"polluted":true}}`,
    422,
    'validation_failed',
  ),
  bodyCase(
    '__proto__ nested in a create body',
    `{"provider":"${SCRATCH}","name":"x","extra":{"a":{"__proto__":{}}}}`,
    422,
    'validation_failed',
  ),
  post('/s1/i1', { uuid: 'other' }, 422, 'validation_failed'),
  post('/s1/i1', { provider: CATALOG }, 422, 'validation_failed'),
  post('/s1/i1', { name: 5 }, 422, 'validation_failed'),
  post('/s1/i1', { datatype: 'blob' }, 422, 'validation_failed'),
  post('/s1/i1', { name: '' }, 422, 'validation_failed'),
  post('/s1/nope', { name: 'x' }, 404, 'integration_not_found'),
  post('/s1/ro1', { name: 'x' }, 405, 'provider_read_only'),
  post('/s1/i1/new', {}, 422, 'validation_failed'),
  post('/s1/i1/new', { resource_type: '' }, 422, 'validation_failed'),
  post('/s1/i1/new', { resource_type: 'file' }, 422, 'validation_failed'),
  post('/s1/i1/new', { resource_type: 'example', query: 'q' }, 422, 'validation_failed'),
  post('/s1/i1/example', { resource_type: 'file', name: 'x' }, 422, 'validation_failed'),
  post(
    '/s1/i1/new',
    { resource_type: 'file', name: 'x', resource_id: 'r1' },
    409,
    'resource_exists',
  ),
  post(
    '/s1/i1/new',
    { resource_type: 'file', name: 'x', integration: 'other' },
    422,
    'validation_failed',
  ),
  post('/s1/nope/new', { resource_type: 'file', name: 'x' }, 404, 'integration_not_found'),
  post('/s1/ro1/new', { resource_type: 'file', name: 'x' }, 405, 'provider_read_only'),
  post('/s1/i1/file/r1', { resource_type: 'example' }, 422, 'validation_failed'),
  post('/s1/i1/file/r1', { resource_id: 'other' }, 422, 'validation_failed'),
  post('/s1/i1/file/r1', { integration: 'other' }, 422, 'validation_failed'),
  post('/s1/i1/file/r1', { name: 7 }, 422, 'validation_failed'),
  post('/s1/i1/example/r1', { name: 'x' }, 422, 'validation_failed'),
  post('/s1/i1/file/nope', { name: 'x' }, 404, 'resource_not_found'),
  post('/s1/ro1/example/q1', { notes: 'x' }, 405, 'provider_read_only'),
  {
    ...bodyCase(
      '__proto__ in a resource payload',
      '{"resource_type":"file","name":"x","__proto__":{"a":1}}',
      422,
      'validation_failed',
    ),
    path: '/s1/i1/new',
  },
  {
    ...bodyCase(
      '__proto__ in a resource update',
      '{"name":"x","meta":{"__proto__":{"a":1}}}',
      422,
      'validation_failed',
    ),
    path: '/s1/i1/file/r1',
  },
];

const cases = [...methodCases, ...pathCases, ...headerCases, ...bodyCases];

describe('bad requests over HTTP', () => {
  let server: TestServer;
  let context: IntegrationContext;
  let initialState: string;
  const logger = recordingLogger();

  beforeAll(async () => {
    context = createFixtureContext();
    const handler = createIntegrationsHandler({
      resolveContext: (sessionId) => (sessionId === 's1' ? context : undefined),
      maxBodyBytes: MAX_BODY_BYTES,
      logger,
    });
    server = await startServer(handler);
    initialState = JSON.stringify(await context.listIntegrations());
  });
  afterAll(() => server.close());

  it('covers at least 60 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  it.each(cases)('answers $status $code to $name', async (testCase) => {
    const response = await rawRequest(server, {
      method: testCase.method,
      path: BASE_PATH + testCase.path,
      headers: testCase.headers,
      body: testCase.body,
    });

    const problem = expectProblem(fromRaw(response), testCase.status, testCase.code);
    for (const [key, value] of Object.entries(testCase.problem ?? {})) {
      expect(problem[key], key).toEqual(value);
    }
    if (testCase.allow !== undefined) expect(response.headers.allow).toBe(testCase.allow);
  });

  it('leaves the data unchanged after every bad request', async () => {
    expect(JSON.stringify(await context.listIntegrations())).toBe(initialState);
  });

  it('logs nothing for bad requests', () => {
    expect(logger.entries).toEqual([]);
  });

  it('answers HEAD of an unknown integration with 404 and no body', async () => {
    const response = await rawRequest(server, { method: 'HEAD', path: `${BASE_PATH}/s1/nope` });

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.text).toBe('');
  });

  it('answers OPTIONS without CORS with 204 and Allow', async () => {
    const response = await rawRequest(server, { method: 'OPTIONS', path: `${BASE_PATH}/s1/i1` });

    expect(response.status).toBe(204);
    expect(response.headers.allow).toBe('GET, POST, DELETE, HEAD, OPTIONS');
  });

  it('reads a POST without Content-Type as JSON', async () => {
    const response = await rawRequest(server, {
      method: 'POST',
      path: `${BASE_PATH}/s1/i1/new`,
      body: JSON.stringify({ resource_type: 'file', name: 'plain.txt', resource_id: 'no-type' }),
    });

    expect(response.status).toBe(201);
    expect(JSON.parse(response.text)).toMatchObject({ resource_id: 'no-type', name: 'plain.txt' });
    await context.removeResource('i1', 'no-type');
  });

  it('accepts Content-Encoding identity', async () => {
    const response = await rawRequest(server, {
      method: 'POST',
      path: `${BASE_PATH}/s1/i1`,
      headers: { 'content-type': 'application/json', 'content-encoding': 'identity' },
      body: JSON.stringify({ description: 'Forecasts by city' }),
    });

    expect(response.status).toBe(200);
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON; charset=ISO-8859-1',
    'application/merge-patch+json',
    'application/vnd.beaker+json; version=1',
  ])('accepts Content-Type %s', async (contentType) => {
    const response = await rawRequest(server, {
      method: 'POST',
      path: `${BASE_PATH}/s1/i1`,
      headers: { 'content-type': contentType },
      body: JSON.stringify({ description: 'Forecasts by city' }),
    });

    expect(response.status).toBe(200);
  });
});
