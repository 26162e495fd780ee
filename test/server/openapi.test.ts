import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { InMemoryProvider, IntegrationContext, routeList } from '../../src/core/index.js';
import {
  createIntegrationsHandler,
  createOpenApiDocument,
  type OpenApiDocument,
} from '../../src/server/index.js';

const DOCUMENT_PATH = '/beaker/openapi.json';
const JSON_TYPE = 'application/json; charset=utf-8';

function operationsOf(document: OpenApiDocument) {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
  );
}

function createHandler(options: { basePath?: string } = {}) {
  const context = new IntegrationContext({
    providers: [new InMemoryProvider({ slug: 'scratch' })],
  });

  return createIntegrationsHandler({ context, openApiPath: DOCUMENT_PATH, ...options });
}

function schemaOf(content: unknown, mediaType: string): unknown {
  return (content as Record<string, { schema: unknown }> | undefined)?.[mediaType]?.schema;
}

describe('createOpenApiDocument', () => {
  it('builds a document that validates as OpenAPI 3.1', async () => {
    const document = createOpenApiDocument({ serverUrl: 'http://127.0.0.1:8888' });
    // validate() dereferences in place, so it gets a copy.
    const result = await validate(structuredClone(document) as never, {
      resolve: { external: false },
    });

    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.specification).toBe('OpenAPI');
    expect(document.openapi).toBe('3.1.0');
  });

  it('has exactly the ten operations of the route table', () => {
    const operations = operationsOf(createOpenApiDocument());
    const expected = routeList.map((route) => ({
      operationId: route.operation,
      method: route.method.toLowerCase(),
      path: `/beaker/integrations${route.path.replace(/:(\w+)/g, '{$1}')}`,
      status: String(route.status),
    }));
    const actual = operations.map(({ path, method, operation }) => ({
      operationId: operation.operationId,
      method,
      path,
      status: Object.keys(operation.responses).find((status) => status.startsWith('2')),
    }));

    expect(operations).toHaveLength(10);
    expect(actual).toEqual(expect.arrayContaining(expected));
    expect(expected).toEqual(expect.arrayContaining(actual));
  });

  it('names each route method, path and status as in the contract', () => {
    const document = createOpenApiDocument();
    const expected = [
      ['get', '/beaker/integrations/{session_id}', 'listIntegrations', '200'],
      ['get', '/beaker/integrations/{session_id}/{integration_id}', 'getIntegration', '200'],
      [
        'get',
        '/beaker/integrations/{session_id}/{integration_id}/{resource_type}',
        'listResources',
        '200',
      ],
      [
        'get',
        '/beaker/integrations/{session_id}/{integration_id}/{resource_type}/{resource_id}',
        'getResource',
        '200',
      ],
      ['post', '/beaker/integrations/{session_id}', 'addIntegration', '201'],
      ['post', '/beaker/integrations/{session_id}/{integration_id}', 'updateIntegration', '200'],
      [
        'post',
        '/beaker/integrations/{session_id}/{integration_id}/{resource_type}',
        'addResource',
        '201',
      ],
      [
        'post',
        '/beaker/integrations/{session_id}/{integration_id}/{resource_type}/{resource_id}',
        'updateResource',
        '200',
      ],
      [
        'delete',
        '/beaker/integrations/{session_id}/{integration_id}/{resource_type}/{resource_id}',
        'removeResource',
        '200',
      ],
      ['delete', '/beaker/integrations/{session_id}/{integration_id}', 'removeIntegration', '200'],
    ] as const;

    for (const [method, path, operationId, status] of expected) {
      const operation = document.paths[path]?.[method];
      expect(operation?.operationId, `${method} ${path}`).toBe(operationId);
      expect(Object.keys(operation?.responses ?? {}), operationId).toContain(status);
    }
  });

  it('declares every path parameter as required', () => {
    for (const { path, operation } of operationsOf(createOpenApiDocument())) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = operation.parameters
        .filter((parameter) => parameter.in === 'path')
        .map((parameter) => parameter.name);

      expect(declared, operation.operationId).toEqual(inPath);
      for (const parameter of operation.parameters.filter((item) => item.in === 'path')) {
        expect(parameter.required, `${operation.operationId} ${parameter.name}`).toBe(true);
      }
    }
  });

  it('explains the resource type wildcards on each resource route', () => {
    const document = createOpenApiDocument();
    const resourceTypeOf = (operationId: string) =>
      operationsOf(document)
        .find(({ operation }) => operation.operationId === operationId)
        ?.operation.parameters.find((parameter) => parameter.name === 'resource_type')
        ?.description as string;

    expect(resourceTypeOf('listResources')).toContain('`all`');
    expect(resourceTypeOf('addResource')).toContain('`new`');
    expect(resourceTypeOf('updateResource')).toContain('`new`');
    expect(resourceTypeOf('removeResource')).toContain('`any`');
    expect(resourceTypeOf('getResource')).toContain('`any`');
  });

  it('refers to the shared schemas for bodies and responses', () => {
    const document = createOpenApiDocument();
    const byId = new Map(
      operationsOf(document).map(({ operation }) => [operation.operationId, operation]),
    );
    const responseOf = (operationId: string, status: string) =>
      schemaOf(byId.get(operationId)?.responses[status]?.content, 'application/json');
    const bodyOf = (operationId: string) =>
      schemaOf(byId.get(operationId)?.requestBody?.content, 'application/json');
    const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

    expect(responseOf('listIntegrations', '200')).toEqual(ref('IntegrationList'));
    expect(responseOf('getIntegration', '200')).toEqual(ref('Integration'));
    expect(responseOf('listResources', '200')).toEqual(ref('ResourceList'));
    expect(responseOf('getResource', '200')).toEqual(ref('Resource'));
    expect(responseOf('addIntegration', '201')).toEqual(ref('Integration'));
    expect(responseOf('addResource', '201')).toEqual(ref('Resource'));
    expect(responseOf('removeResource', '200')).toEqual(ref('EmptyObject'));
    expect(responseOf('removeIntegration', '200')).toEqual(ref('EmptyObject'));
    expect(bodyOf('addIntegration')).toEqual({
      allOf: [ref('IntegrationCreate'), { required: ['provider'] }],
    });
    expect(bodyOf('updateIntegration')).toEqual(ref('IntegrationUpdate'));
    expect(bodyOf('addResource')).toEqual(ref('ResourceCreate'));
    expect(bodyOf('updateResource')).toEqual(ref('ResourceUpdate'));
    expect(bodyOf('getIntegration')).toBeUndefined();
    expect(document.components.schemas.EmptyObject).toEqual({
      type: 'object',
      properties: {},
      additionalProperties: false,
    });
  });

  it('converts request bodies in input form and responses in output form', () => {
    const { schemas } = createOpenApiDocument().components;
    const create = schemas.IntegrationCreate as { required: string[] };
    const integration = schemas.Integration as { required: string[] };

    expect(create.required).toEqual(['name']);
    expect(integration.required).toEqual([
      'uuid',
      'name',
      'description',
      'provider',
      'slug',
      'datatype',
      'resources',
    ]);
    expect(schemas.Integration).not.toHaveProperty('$schema');
    expect(schemas.Integration).not.toHaveProperty('$id');
  });

  it('describes errors as problem documents per route', () => {
    const document = createOpenApiDocument();
    const byId = new Map(
      operationsOf(document).map(({ operation }) => [operation.operationId, operation]),
    );
    const statusesOf = (operationId: string) =>
      Object.keys(byId.get(operationId)?.responses ?? {}).filter((status) => status >= '400');

    expect(statusesOf('listIntegrations')).toEqual([
      '400',
      '401',
      '403',
      '404',
      '414',
      '500',
      '504',
    ]);
    expect(statusesOf('addIntegration')).toEqual([
      '400',
      '401',
      '403',
      '404',
      '405',
      '409',
      '413',
      '414',
      '415',
      '422',
      '500',
      '504',
    ]);
    expect(statusesOf('updateResource')).toEqual([
      '400',
      '401',
      '403',
      '404',
      '405',
      '412',
      '413',
      '414',
      '415',
      '422',
      '500',
      '504',
    ]);
    expect(statusesOf('removeIntegration')).toEqual([
      '400',
      '401',
      '403',
      '404',
      '405',
      '412',
      '414',
      '500',
      '504',
    ]);
    const notFound = byId.get('getResource')?.responses['404'];
    expect(notFound?.description).toContain('`resource_not_found`');
    expect(schemaOf(notFound?.content, 'application/problem+json')).toEqual({
      $ref: '#/components/schemas/ProblemDocument',
    });
    expect(document.components.schemas.ProblemDocument).toMatchObject({
      required: ['type', 'title', 'status', 'detail', 'code'],
    });
  });

  it('prefixes paths with the base path and sets the server', () => {
    const document = createOpenApiDocument({
      basePath: '/api/',
      title: 'Notebook integrations',
      version: '2.1.0',
      serverUrl: 'http://127.0.0.1:8888',
    });

    expect(Object.keys(document.paths)).toContain('/api/{session_id}');
    expect(document.info.title).toBe('Notebook integrations');
    expect(document.info.version).toBe('2.1.0');
    expect(document.servers).toEqual([{ url: 'http://127.0.0.1:8888' }]);
    expect(createOpenApiDocument()).not.toHaveProperty('servers');
  });

  it('rejects a relative base path', () => {
    expect(() => createOpenApiDocument({ basePath: 'api' })).toThrow(TypeError);
  });
});

describe('handler option openApiPath', () => {
  it('serves the document that createOpenApiDocument builds', async () => {
    const response = await createHandler()(new Request(`http://localhost${DOCUMENT_PATH}`));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(JSON_TYPE);
    expect(await response.json()).toEqual(createOpenApiDocument());
  });

  it('serves paths under a custom base path', async () => {
    const handler = createHandler({ basePath: '/api' });
    const response = await handler(new Request(`http://localhost${DOCUMENT_PATH}/`));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(createOpenApiDocument({ basePath: '/api' }));
  });

  it('answers HEAD with headers and no body', async () => {
    const request = new Request(`http://localhost${DOCUMENT_PATH}`, { method: 'HEAD' });
    const response = await createHandler()(request);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(JSON_TYPE);
    expect(await response.text()).toBe('');
  });

  it('answers POST with 405 and Allow', async () => {
    const request = new Request(`http://localhost${DOCUMENT_PATH}`, { method: 'POST', body: '{}' });
    const response = await createHandler()(request);

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(await response.json()).toMatchObject({ code: 'method_not_allowed', status: 405 });
  });

  it('leaves the session routes alone', async () => {
    const response = await createHandler()(new Request('http://localhost/beaker/integrations/s1'));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      integrations: {},
      providers: [
        {
          id: 'memory:scratch',
          display_name: 'scratch',
          provider_type: 'memory',
          slug: 'scratch',
          mutable: true,
        },
      ],
    });
  });

  it('answers 404 route_not_found without the option', async () => {
    const context = new IntegrationContext({ providers: [] });
    const handler = createIntegrationsHandler({ context });
    const response = await handler(new Request(`http://localhost${DOCUMENT_PATH}`));

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'route_not_found' });
  });

  it('rejects a path under the base path', () => {
    const context = new IntegrationContext({ providers: [] });
    const create = (openApiPath: string, basePath?: string) => () =>
      createIntegrationsHandler({ context, openApiPath, basePath });

    expect(create('/beaker/integrations/openapi.json')).toThrow(TypeError);
    expect(create('/beaker/integrations')).toThrow(TypeError);
    expect(create('/openapi.json', '/')).toThrow(TypeError);
    expect(create('openapi.json')).toThrow(TypeError);
    expect(create('/beaker/integrations-openapi.json')).not.toThrow();
  });
});
