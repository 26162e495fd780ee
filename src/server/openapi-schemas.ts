/**
 * The JSON Schemas of the OpenAPI document, converted from the zod schemas of the route table with
 * zod 4's `toJSONSchema`. Request bodies use the input form of a schema (what a caller may send,
 * before defaults and transforms) and responses the output form (what the handler sends).
 *
 * @module
 */
import { z } from 'zod';
import { routeSchemas } from '../core/route-schemas.js';
import type { RouteName } from '../core/routes.js';
import {
  EmptyBodySchema,
  ExampleResourceSchema,
  FileResourceSchema,
  IntegrationCreateSchema,
  IntegrationListSchema,
  IntegrationSchema,
  IntegrationUpdateSchema,
  ProviderInfoSchema,
  ResourceCreateBaseSchema,
  ResourceListSchema,
  ResourceSchema,
  ResourceUpdateBaseSchema,
} from '../core/schemas.js';

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as a plain object. */
export type JsonSchema = Record<string, unknown>;

/** One failing field of a validation error. */
export const FieldErrorSchema = z.object({
  path: z.string().meta({ description: 'Dotted path into the body, or `(body)` for the whole' }),
  message: z.string(),
});

/** An RFC 9457 problem document as the handler sends it, with this library's `code`. */
export const ProblemDocumentSchema = z
  .looseObject({
    type: z.string().meta({ description: 'URN of the problem: the prefix and then `code`' }),
    title: z.string().meta({ description: 'The reason phrase of `status`' }),
    status: z.number().int().min(400).max(599),
    detail: z.string().meta({ description: 'What failed, in a sentence, and the fix if any' }),
    code: z.string().meta({ description: 'Stable machine word, such as `integration_not_found`' }),
    instance: z.string().optional().meta({ description: 'Path of the request' }),
    errors: z
      .array(FieldErrorSchema)
      .optional()
      .meta({ description: 'Every failing field, on `validation_failed`' }),
  })
  .meta({ description: 'An RFC 9457 problem document; the ids involved may follow as members' });

/** Schemas of responses, converted in their output form, keyed by component name. */
const responseComponents: ReadonlyArray<readonly [string, z.ZodType]> = [
  ['Integration', IntegrationSchema],
  ['IntegrationList', IntegrationListSchema],
  ['ProviderInfo', ProviderInfoSchema],
  ['Resource', ResourceSchema],
  ['FileResource', FileResourceSchema],
  ['ExampleResource', ExampleResourceSchema],
  ['ResourceList', ResourceListSchema],
  ['EmptyObject', EmptyBodySchema],
  ['ProblemDocument', ProblemDocumentSchema],
  ['FieldError', FieldErrorSchema],
];

/** Schemas of request bodies, converted in their input form, keyed by component name. */
const requestComponents: ReadonlyArray<readonly [string, z.ZodType]> = [
  ['IntegrationCreate', IntegrationCreateSchema],
  ['IntegrationUpdate', IntegrationUpdateSchema],
  ['ResourceCreate', ResourceCreateBaseSchema],
  ['ResourceUpdate', ResourceUpdateBaseSchema],
];

/** The shared schemas of the document and the schema of each route's body and response. */
export interface OpenApiSchemas {
  /** Every component schema, keyed by name. */
  components: Record<string, JsonSchema>;
  /** The request body schema of each route that takes a body. */
  bodies: Partial<Record<RouteName, JsonSchema>>;
  /** The success response schema of each route. */
  responses: Record<RouteName, JsonSchema>;
}

const COMPONENT_PREFIX = '#/components/schemas/';

/**
 * Converts the route schemas to JSON Schemas. A route schema listed among the components becomes a
 * `$ref` to it; any other is converted in place, so a route added with a new schema still gets one.
 *
 * @throws {Error} from zod when a schema has no JSON Schema form, such as a transform in its output.
 */
export function buildOpenApiSchemas(): OpenApiSchemas {
  const requests = convertComponents(requestComponents, 'input');
  const responses = convertComponents(responseComponents, 'output');
  const names = new Map<z.ZodType, string>();
  for (const [name, schema] of [...responseComponents, ...requestComponents]) {
    names.set(schema, name);
  }

  const result: OpenApiSchemas = {
    components: { ...responses, ...requests },
    bodies: {},
    responses: {} as Record<RouteName, JsonSchema>,
  };
  for (const [route, schemas] of Object.entries(routeSchemas) as Array<
    [RouteName, (typeof routeSchemas)[RouteName]]
  >) {
    result.responses[route] = referenceTo(schemas.response, names, 'output');
    if (schemas.body !== undefined) {
      result.bodies[route] = referenceTo(schemas.body, names, 'input');
    }
  }

  return result;
}

function convertComponents(
  entries: ReadonlyArray<readonly [string, z.ZodType]>,
  io: 'input' | 'output',
): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of entries) registry.add(schema, { id });

  const { schemas } = z.toJSONSchema(registry, {
    io,
    target: 'draft-2020-12',
    uri: (id) => COMPONENT_PREFIX + id,
  });
  const components: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    components[id] = withoutRootKeywords(schema as JsonSchema);
  }

  return components;
}

function referenceTo(
  schema: z.ZodType,
  names: ReadonlyMap<z.ZodType, string>,
  io: 'input' | 'output',
): JsonSchema {
  const name = names.get(schema);
  if (name !== undefined) return { $ref: COMPONENT_PREFIX + name };

  return withoutRootKeywords(z.toJSONSchema(schema, { io, target: 'draft-2020-12' }) as JsonSchema);
}

/**
 * Drops `$schema` and `$id`, which zod sets on each root schema: a component's `$id` would be a
 * fragment-only URI, which JSON Schema 2020-12 does not allow, and OpenAPI 3.1 sets the dialect.
 */
function withoutRootKeywords(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, ...rest } = schema;

  return rest;
}
