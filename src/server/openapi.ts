/**
 * {@link createOpenApiDocument}: an OpenAPI 3.1 document of the integrations REST API, built from
 * the route table and the zod schemas of each route.
 *
 * @module
 */
import { type RouteDefinition, routeList } from '../core/route-definitions.js';
import type { RouteName, RouteParam } from '../core/routes.js';
import { buildOpenApiSchemas, type JsonSchema, type OpenApiSchemas } from './openapi-schemas.js';
import { MAX_ID_BYTES } from './params.js';

/** Options of {@link createOpenApiDocument}. */
export interface OpenApiDocumentOptions {
  /** Path prefix of every route, as given to the handler. @default '/beaker/integrations' */
  basePath?: string;
  /** `info.title` of the document. @default 'Beaker integrations API' */
  title?: string;
  /** `info.version`: the version of the API description. @default '1.0.0' */
  version?: string;
  /** URL of the server, such as `https://notebook.example.org`; sets `servers`. @default none */
  serverUrl?: string;
}

/** An OpenAPI 3.1 document. Only the members that this library writes are typed. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers?: Array<{ url: string }>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** One operation of an OpenAPI document. */
export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  parameters: Array<Record<string, unknown>>;
  requestBody?: Record<string, unknown>;
  responses: Record<string, Record<string, unknown>>;
}

type ErrorCodes = Map<number, string[]>;

const DEFAULT_BASE_PATH = '/beaker/integrations';
const PROBLEM_MEDIA_TYPE = 'application/problem+json';
const JSON_MEDIA_TYPE = 'application/json';

/** Routes whose success response carries an `ETag`, so that a later write can send `If-Match`. */
const VERSIONED_ROUTES: ReadonlySet<RouteName> = new Set([
  'getIntegration',
  'getResource',
  'addIntegration',
  'updateIntegration',
  'addResource',
  'updateResource',
]);

/** Routes that check an `If-Match` header against the current ETag before they write. */
const IF_MATCH_ROUTES: ReadonlySet<RouteName> = new Set([
  'updateIntegration',
  'updateResource',
  'removeResource',
  'removeIntegration',
]);

const DESCRIPTION = [
  'The Beaker integrations REST API: integrations wrap external data sources and tools, and',
  'resources are material that belongs to one integration.',
  '',
  'Every error is an RFC 9457 problem document (`application/problem+json`) with a stable',
  '`code`. Every path segment is percent-decoded once, so `a%2Fb` is the one id `a/b`.',
  'A trailing slash is accepted on every route, and HEAD returns the status and headers of the',
  'matching GET with an empty body.',
].join('\n');

const SEGMENT_NOTE = `Percent-decoded once; at most ${MAX_ID_BYTES} UTF-8 bytes after decoding.`;

const RESOURCE_TYPE_DESCRIPTIONS: Partial<Record<RouteName, string>> = {
  listResources: 'A resource type such as `file`, or `all` to list every type.',
  getResource:
    "The resource's type, such as `file`; a type that differs from the resource's is a 404. " +
    'The wildcards `new`, `any` and `all` match any type.',
  addResource:
    "`new` (as Beaker's web client sends) takes the type from the body's `resource_type`. " +
    'A specific type such as `file` fills in a missing `resource_type` and must equal a present ' +
    'one (422 otherwise). The wildcards `any` and `all` act as `new`.',
  updateResource:
    "`new` (as Beaker's web client sends) leaves the type to the body. A specific type such as " +
    "`file` must equal the body's `resource_type` and the resource's type (422 otherwise). The " +
    'wildcards `any` and `all` act as `new`.',
  removeResource:
    "`any` (as Beaker's web client sends) removes the resource whatever its type. A specific " +
    "type such as `file` must equal the resource's type (404 otherwise). The wildcards `new` and " +
    '`all` act as `any`.',
};

const PARAM_DESCRIPTIONS: Record<Exclude<RouteParam, 'resource_type'>, string> = {
  session_id: 'The session id; the server maps it to the context that serves the request.',
  integration_id: "The integration's uuid.",
  resource_id: "The resource's id within its integration.",
};

const BODY_DESCRIPTIONS: Partial<Record<RouteName, string>> = {
  addIntegration:
    'The new integration. `provider` names the provider to create on, as ' +
    '`<provider_type>:<slug>`; `uuid` is generated when absent and `slug` derived from `name`.',
  updateIntegration:
    'The fields to change. `uuid` and `provider` may be sent when they equal the current values; ' +
    '`resources` is ignored, since resources change through their own routes.',
  addResource:
    'The new resource. `resource_type` picks the schema of the kind (`file` needs `name`, ' +
    '`example` needs `query` and `code`) and may be left out when the path names the type; ' +
    '`resource_id` is generated when absent.',
  updateResource:
    'The fields to change. `resource_id`, `integration` and `resource_type` may be sent when ' +
    'they equal the current values.',
};

/** Extra required body fields that the handler checks before the route schema applies. */
const REQUIRED_BODY_FIELDS: Partial<Record<RouteName, string[]>> = {
  addIntegration: ['provider'],
};

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is malformed',
  401: 'The `authorize` option rejected the request as unauthenticated',
  403: 'The `authorize` option denied the request for this session',
  404: 'An id of the request names nothing',
  405: 'The provider is read-only',
  409: 'The id of the new item is taken',
  412: 'The `If-Match` header does not match the current ETag',
  413: 'The body exceeds the configured limit (default 1 MiB)',
  414: `A path segment exceeds ${MAX_ID_BYTES} bytes`,
  415: 'The body is not JSON',
  422: 'The body fails the schema, or changes an identity field',
  500: 'A provider failed; the log holds the cause under the error id that the response carries',
  504: 'A provider call outlived the configured timeout',
};

/**
 * Builds the OpenAPI 3.1 document of the integrations REST API: every route of the route table
 * with its path parameters, request body, success response and the problem documents of the
 * errors it can return. The shared schemas sit under `components.schemas`.
 *
 * @throws {TypeError} when `basePath` does not start with "/".
 *
 * @example
 * ```ts
 * const document = createOpenApiDocument({ serverUrl: 'http://localhost:8888' });
 * console.log(Object.keys(document.paths));
 * ```
 */
export function createOpenApiDocument(options: OpenApiDocumentOptions = {}): OpenApiDocument {
  const basePath = normalizeBasePath(options.basePath ?? DEFAULT_BASE_PATH);
  const schemas = buildOpenApiSchemas();
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routeList) {
    const path = basePath + route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = buildOperation(route, schemas);
  }

  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'Beaker integrations API',
      version: options.version ?? '1.0.0',
      description: DESCRIPTION,
    },
    tags: [
      { name: 'integrations', description: 'Integrations and the providers that hold them' },
      { name: 'resources', description: 'Resources of one integration' },
    ],
    paths,
    components: { schemas: schemas.components },
  };
  if (options.serverUrl !== undefined) document.servers = [{ url: options.serverUrl }];

  return document;
}

/** Removes trailing slashes from a base path and checks that it is absolute. */
export function normalizeBasePath(basePath: string): string {
  const normalized = basePath.replace(/\/+$/, '');
  if (normalized !== '' && !normalized.startsWith('/')) {
    throw new TypeError(`\`basePath\` must start with "/", got "${basePath}"`);
  }

  return normalized;
}

function buildOperation(route: RouteDefinition, schemas: OpenApiSchemas): OpenApiOperation {
  const name = route.operation;
  const headNote =
    route.method === 'GET' ? ' HEAD returns the same status and headers with an empty body.' : '';
  const operation: OpenApiOperation = {
    operationId: name,
    summary: route.summary,
    description: `Route ${route.id}.${headNote}`,
    tags: [route.params.includes('resource_type') ? 'resources' : 'integrations'],
    parameters: route.params.map((param) => pathParameter(param, name)),
    responses: {
      [route.status]: successResponse(route, schemas.responses[name]),
      ...errorResponses(errorCodesOf(route)),
    },
  };
  if (IF_MATCH_ROUTES.has(name)) operation.parameters.push(ifMatchParameter());
  const body = schemas.bodies[name];
  if (route.hasBody && body !== undefined) operation.requestBody = requestBody(name, body);

  return operation;
}

function pathParameter(param: RouteParam, route: RouteName): Record<string, unknown> {
  const description =
    param === 'resource_type' ? RESOURCE_TYPE_DESCRIPTIONS[route] : PARAM_DESCRIPTIONS[param];

  return {
    name: param,
    in: 'path',
    required: true,
    description: `${description} ${SEGMENT_NOTE}`,
    schema: { type: 'string', minLength: 1 },
  };
}

function ifMatchParameter(): Record<string, unknown> {
  return {
    name: 'If-Match',
    in: 'header',
    required: false,
    description:
      'ETags from an earlier read, or `*`; the write happens only when one equals the current ' +
      'ETag (412 otherwise).',
    schema: { type: 'string' },
  };
}

function requestBody(route: RouteName, schema: JsonSchema): Record<string, unknown> {
  const required = REQUIRED_BODY_FIELDS[route];

  return {
    required: true,
    description: BODY_DESCRIPTIONS[route] ?? 'A JSON object.',
    content: {
      [JSON_MEDIA_TYPE]: {
        schema: required === undefined ? schema : { allOf: [schema, { required }] },
      },
    },
  };
}

function successResponse(route: RouteDefinition, schema: JsonSchema): Record<string, unknown> {
  const response: Record<string, unknown> = {
    description: route.method === 'DELETE' ? 'Removed; the body is `{}`' : route.summary,
    content: { [JSON_MEDIA_TYPE]: { schema } },
  };
  if (VERSIONED_ROUTES.has(route.operation)) {
    response.headers = {
      ETag: {
        description: 'Version of the body, for `If-Match` on a later write',
        schema: { type: 'string' },
      },
    };
  }

  return response;
}

/** Lists the error codes that a route can return, by status, as the handler produces them. */
function errorCodesOf(route: RouteDefinition): ErrorCodes {
  const codes: ErrorCodes = new Map();
  const add = (status: number, ...names: string[]): void => {
    codes.set(status, [...(codes.get(status) ?? []), ...names]);
  };
  const isWrite = route.method !== 'GET';

  add(400, 'invalid_path_parameter');
  if (route.hasBody) add(400, 'invalid_json', 'invalid_body');
  add(401, 'unauthorized');
  add(403, 'forbidden');
  add(404, 'session_not_found');
  if (route.operation === 'addIntegration') add(404, 'provider_not_found');
  if (route.params.includes('integration_id')) add(404, 'integration_not_found');
  if (route.params.includes('resource_id')) add(404, 'resource_not_found');
  if (isWrite) add(405, 'provider_read_only');
  if (route.operation === 'addIntegration') add(409, 'integration_exists');
  if (route.operation === 'addResource') add(409, 'resource_exists');
  if (IF_MATCH_ROUTES.has(route.operation)) add(412, 'precondition_failed');
  if (route.hasBody) add(413, 'body_too_large');
  add(414, 'path_parameter_too_long');
  if (route.hasBody) add(415, 'unsupported_media_type');
  if (route.hasBody) add(422, 'validation_failed');
  add(500, 'provider_error', 'invalid_provider_response');
  add(504, 'provider_timeout');

  return codes;
}

function errorResponses(codes: ErrorCodes): Record<string, Record<string, unknown>> {
  const responses: Record<string, Record<string, unknown>> = {};
  for (const [status, names] of codes) {
    const list = names.map((code) => `\`${code}\``).join(', ');
    responses[status] = {
      description: `${ERROR_DESCRIPTIONS[status]}: ${list}`,
      content: {
        [PROBLEM_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDocument' } },
      },
    };
  }

  return responses;
}
