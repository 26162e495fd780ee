/**
 * zod schemas of the wire format, in snake_case as Beaker sends it, and the types inferred from
 * them. Every object schema lets unknown fields pass through, because providers may add their own.
 *
 * @module
 */
import { z } from 'zod';

/** Resource types that the path may carry in place of a real type: they never name one. */
export const RESOURCE_TYPE_WILDCARDS: ReadonlySet<string> = new Set(['new', 'any', 'all']);

const nullableText = z.string().nullish();

/**
 * A point in time as ISO 8601. Beaker's own `2024-05-01 10:00:00` form is accepted and normalized
 * to `2024-05-01T10:00:00`.
 */
export const TimestampSchema = z
  .string()
  .transform((value) => value.trim().replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2'))
  .pipe(z.iso.datetime({ offset: true, local: true }));

/** The kind of source that an integration wraps. */
export const DatatypeSchema = z.enum(['api', 'database', 'dataset']);

/** A provider id: `<provider_type>:<slug>`, for example `adhoc:my_provider`. */
export const ProviderIdSchema = z
  .string()
  .regex(/^[^:]+:.+$/, 'Expected a provider id of the form "<provider_type>:<slug>"');

/** Fields that every resource has, whatever its kind. */
export const ResourceBaseSchema = z.looseObject({
  resource_type: z.string().min(1),
  resource_id: z.string().min(1),
  integration: z.string().min(1),
});

const fileFields = {
  name: z.string(),
  filepath: nullableText,
  content: nullableText,
};

const exampleFields = {
  query: z.string(),
  code: z.string(),
  notes: nullableText,
};

/** A file attached to an integration, such as documentation; `content` may be left out of lists. */
export const FileResourceSchema = ResourceBaseSchema.extend({
  resource_type: z.literal('file'),
  ...fileFields,
});

/** A worked example: a question in words and the code that answers it. */
export const ExampleResourceSchema = ResourceBaseSchema.extend({
  resource_type: z.literal('example'),
  ...exampleFields,
});

/** A resource of a kind that a provider defines; only the common fields are checked. */
export const GenericResourceSchema = ResourceBaseSchema.extend({
  resource_type: z
    .string()
    .min(1)
    .refine((type) => !BUILT_IN_KINDS.has(type), 'Built-in kinds have their own schema'),
});

/** Any resource: a file, an example, or a kind that a provider defines. */
export const ResourceSchema = z.union([
  FileResourceSchema,
  ExampleResourceSchema,
  GenericResourceSchema,
]);

/** Kind-specific fields of each resource kind, keyed by `resource_type`. */
export type ResourceKinds = Record<string, Record<string, z.ZodType>>;

/** The fields of the built-in resource kinds, `file` and `example`. */
export const BUILT_IN_RESOURCE_KINDS: ResourceKinds = { file: fileFields, example: exampleFields };
const BUILT_IN_KINDS: ReadonlySet<string> = new Set(Object.keys(BUILT_IN_RESOURCE_KINDS));

/** An integration as providers return it and the handler sends it. */
export const IntegrationSchema = z.looseObject({
  uuid: z.string().min(1),
  name: z.string().min(1),
  description: z.string().default(''),
  provider: ProviderIdSchema,
  slug: z.string().min(1),
  datatype: DatatypeSchema.default('api'),
  url: nullableText,
  img_url: nullableText,
  source: nullableText,
  last_updated: TimestampSchema.nullish(),
  resources: z.record(z.string(), ResourceSchema).default({}),
});

/** A provider's description of itself in the list of integrations (R1). */
export const ProviderInfoSchema = z.object({
  id: ProviderIdSchema,
  display_name: z.string(),
  provider_type: z.string().min(1),
  slug: z.string().min(1),
  mutable: z.boolean(),
});

/** The body of R1: every integration keyed by uuid, and the providers that hold them. */
export const IntegrationListSchema = z.object({
  integrations: z.record(z.string(), IntegrationSchema),
  providers: z.array(ProviderInfoSchema),
});

/** The body of R3. */
export const ResourceListSchema = z.object({ resources: z.array(ResourceSchema) });

/** The body of every successful delete. */
export const EmptyBodySchema = z.object({}).strict();

/**
 * Derives a slug from a name the way Beaker does: lower case, and each character that is not a
 * letter, digit or `_` becomes `_`.
 */
export function slugify(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}_]/gu, '_');
}

/** Generates a random UUID through the Web Crypto API, present in browsers, Node 20+ and Workers. */
export function generateId(): string {
  return globalThis.crypto.randomUUID();
}

const integrationWritableFields = {
  name: z.string().min(1),
  description: z.string(),
  slug: z.string().min(1),
  datatype: DatatypeSchema,
  url: nullableText,
  img_url: nullableText,
  source: nullableText,
  last_updated: TimestampSchema.nullish(),
};

/**
 * The body of R5 without its `provider` field, as `addIntegration` receives it after parsing:
 * `uuid` is generated when absent, `slug` comes from the name and `datatype` defaults to `api`.
 * `resources` may hold resources to create along with the integration.
 */
export const IntegrationCreateSchema = z
  .looseObject({
    ...integrationWritableFields,
    uuid: z.string().min(1).optional(),
    provider: ProviderIdSchema.optional(),
    description: z.string().default(''),
    slug: z.string().min(1).optional(),
    datatype: DatatypeSchema.default('api'),
    resources: z.record(z.string(), z.looseObject({})).optional(),
  })
  .transform((payload) => ({
    ...payload,
    uuid: payload.uuid ?? generateId(),
    slug: payload.slug ?? slugify(payload.name),
  }));

/**
 * The body of R6: any subset of the writable fields. Beaker posts back the whole integration, so
 * `uuid`, `provider` and `resources` are allowed here; the context checks and removes them.
 */
export const IntegrationUpdateSchema = z.looseObject({
  ...z.object(integrationWritableFields).partial().shape,
  uuid: z.string().optional(),
  provider: z.string().optional(),
  resources: z.unknown().optional(),
});

/** The fields that every resource create payload may carry, whatever its kind. */
export const ResourceCreateBaseSchema = z.looseObject({
  resource_type: z.string().min(1),
  resource_id: z.string().min(1).optional(),
  integration: z.string().min(1).optional(),
});

/** The fields that every resource update payload may carry, whatever its kind. */
export const ResourceUpdateBaseSchema = z.looseObject({
  resource_type: z.string().min(1).optional(),
  resource_id: z.string().min(1).optional(),
  integration: z.string().min(1).optional(),
});

type SchemaBuilder<T> = (fields: Record<string, z.ZodType>) => T;

/** Memoizes a schema per kinds table and resource type, because `extend` is not free. */
function memoizeByKind<T>(build: SchemaBuilder<T>) {
  const cache = new WeakMap<ResourceKinds, Map<string, T>>();

  return (kinds: ResourceKinds, resourceType: string): T => {
    let byType = cache.get(kinds);
    if (byType === undefined) {
      byType = new Map();
      cache.set(kinds, byType);
    }
    let schema = byType.get(resourceType);
    if (schema === undefined) {
      const fields = Object.hasOwn(kinds, resourceType) ? kinds[resourceType] : undefined;
      schema = build(fields ?? {});
      byType.set(resourceType, schema);
    }

    return schema;
  };
}

/**
 * Returns the schema of a new resource of one kind: the kind's fields are required and
 * `resource_id` is generated when absent.
 */
export const resourceCreateSchema = memoizeByKind((fields) =>
  ResourceCreateBaseSchema.extend(fields).transform((payload) => ({
    ...payload,
    resource_id: payload.resource_id ?? generateId(),
  })),
);

/** Returns the schema of a resource update of one kind: any subset of the kind's fields. */
export const resourceUpdateSchema = memoizeByKind((fields) =>
  ResourceUpdateBaseSchema.extend(z.object(fields).partial().shape),
);

/** Returns the schema of a stored resource of one kind. */
export const resourceSchema = memoizeByKind((fields) => ResourceBaseSchema.extend(fields));

export type Datatype = z.output<typeof DatatypeSchema>;
export type Integration = z.output<typeof IntegrationSchema>;
export type Resource = z.output<typeof ResourceSchema>;
export type FileResource = z.output<typeof FileResourceSchema>;
export type ExampleResource = z.output<typeof ExampleResourceSchema>;
export type ProviderInfo = z.output<typeof ProviderInfoSchema>;
export type IntegrationList = z.output<typeof IntegrationListSchema>;
export type ResourceList = z.output<typeof ResourceListSchema>;
/** The payload a caller may send to create an integration. */
export type IntegrationCreateInput = z.input<typeof IntegrationCreateSchema>;
/** A create payload after parsing, with `uuid` and `slug` filled in. */
export type IntegrationCreate = z.output<typeof IntegrationCreateSchema>;
/** The payload a caller may send to update an integration. */
export type IntegrationUpdate = z.input<typeof IntegrationUpdateSchema>;

type FileFields = z.input<z.ZodObject<typeof fileFields>>;
type ExampleFields = z.input<z.ZodObject<typeof exampleFields>>;
type ResourceWriteBase = {
  resource_id?: string;
  integration?: string;
  [field: string]: unknown;
};

/**
 * The payload a caller may send to create a resource: a file, an example or a kind that a provider
 * defines.
 */
export type ResourceCreateInput =
  | (ResourceWriteBase & { resource_type: 'file' } & FileFields)
  | (ResourceWriteBase & { resource_type: 'example' } & ExampleFields)
  | (ResourceWriteBase & { resource_type?: string });

/** A resource create payload after parsing, with `resource_type` and `resource_id` filled in. */
export type ResourceCreate = ResourceWriteBase & { resource_type: string; resource_id: string };

/** The payload a caller may send to update a resource: any subset of its fields. */
export type ResourceUpdate = ResourceWriteBase & {
  resource_type?: string;
} & Partial<FileFields & ExampleFields>;
