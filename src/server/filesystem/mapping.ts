/**
 * The mapping from a parsed api.yaml to an {@link Integration}: which keys are fields, where the
 * resources are, and what is derived when Beaker's file leaves it out.
 *
 * @module
 */
import { type Document, isMap, isNode, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { type Integration, IntegrationSchema } from '../../core/schemas.js';
import { toFieldErrors } from '../../core/validation.js';
import { derivedExampleId, derivedFilepath, derivedUuid } from './ids.js';
import { nameProblem } from './paths.js';

/** Location of a resource in api.yaml: under `resources` by key, or in the legacy `examples` list. */
export type ResourceLocator =
  | { kind: 'resources'; key: string }
  | { kind: 'examples'; index: number };

/** An integration as one api.yaml describes it, with what writes need to find its parts. */
export interface IntegrationView {
  /** Name of the folder under `specifications/`. */
  folder: string;
  /** The integration; file resources carry no `content`, which lives in their attachments. */
  integration: Integration;
  /** The attachment file name of each file resource, keyed by resource id. */
  files: ReadonlyMap<string, string>;
  /** Location of each resource in api.yaml, keyed by resource id. */
  locators: ReadonlyMap<string, ResourceLocator>;
  /** True when api.yaml has no `uuid` and {@link derivedUuid} supplied it. */
  uuidDerived: boolean;
}

/** The view of a valid api.yaml, or the problem that makes it invalid. */
export type MappingResult = { view: IntegrationView } | { problem: string };

/** Top-level keys that this mapping reads itself; every other key passes through as a field. */
export const INTEGRATION_KEYS: ReadonlySet<string> = new Set([
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
  'examples',
]);

const OPTIONAL_TEXT_KEYS = ['url', 'img_url', 'source', 'last_updated'] as const;

/** Most aliases a document may expand, against "billion laughs" files. */
export const MAX_ALIAS_COUNT = 100;

type Fields = Record<string, unknown>;

interface ResourceTable {
  resources: Map<string, Fields>;
  files: Map<string, string>;
  locators: Map<string, ResourceLocator>;
}

/** Returns the text of a YAML map key, so that reads and writes name resources alike. */
export function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/**
 * Maps a parsed api.yaml to the integration it describes. No I/O: whether attachments exist is
 * checked by the caller.
 */
export function mapDocument(document: Document, folder: string, providerId: string): MappingResult {
  const root = document.contents;
  if (!isMap(root)) return { problem: 'api.yaml does not hold a YAML map' };

  let data: Fields;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Fields;
  } catch (error) {
    return { problem: `api.yaml cannot be converted: ${firstLine(error)}` };
  }
  if (typeof data.name !== 'string' || data.name === '') {
    return { problem: 'api.yaml has no `name`' };
  }
  const uuidDerived = data.uuid === undefined || data.uuid === null;
  const uuid = uuidDerived ? derivedUuid(folder) : data.uuid;
  if (typeof uuid !== 'string' || uuid === '') return { problem: '`uuid` is not a text' };

  const table = readResources(document, root, uuid);
  if ('problem' in table) return table;

  const candidate: Fields = {};
  for (const [key, value] of Object.entries(data)) {
    if (!INTEGRATION_KEYS.has(key) && key !== '__proto__') candidate[key] = value;
  }
  Object.assign(candidate, {
    uuid,
    name: data.name,
    description: data.description ?? '',
    provider: providerId,
    slug: data.slug ?? folder,
    datatype: data.datatype ?? 'api',
  });
  for (const key of OPTIONAL_TEXT_KEYS) {
    if (data[key] !== undefined)
      candidate[key] = key === 'last_updated' ? withTime(data[key]) : data[key];
  }
  candidate.resources = Object.fromEntries(table.resources);

  const parsed = IntegrationSchema.safeParse(candidate);
  if (!parsed.success) {
    const fields = toFieldErrors(parsed.error.issues).map((issue) => {
      return `\`${issue.path}\` ${issue.message.toLowerCase()}`;
    });

    return { problem: `api.yaml does not match the integration schema: ${fields.join('; ')}` };
  }

  return {
    view: {
      folder,
      integration: parsed.data,
      files: table.files,
      locators: table.locators,
      uuidDerived,
    },
  };
}

/**
 * Beaker may write a date without a time as `last_updated`; the schema takes date-times only, so
 * midnight is added.
 */
function withTime(value: unknown): unknown {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.trim())
    ? `${value.trim()}T00:00:00`
    : value;
}

function readResources(
  document: Document,
  root: YAMLMap,
  uuid: string,
): ResourceTable | { problem: string } {
  const table: ResourceTable = { resources: new Map(), files: new Map(), locators: new Map() };

  const resources = root.get('resources', true);
  if (!isEmpty(resources)) {
    if (!isMap(resources)) {
      return { problem: '`resources` is not a map keyed by resource id, as Beaker writes it' };
    }
    for (const pair of resources.items) {
      const key = keyText(pair.key);
      const entry = toPlain(document, pair.value);
      const problem = addResource(table, entry, key, uuid, { kind: 'resources', key });
      if (problem !== undefined) return { problem };
    }
  }

  const examples = root.get('examples', true);
  if (!isEmpty(examples)) {
    if (!isSeq(examples)) return { problem: '`examples` is not a list' };
    for (const [index, item] of examples.items.entries()) {
      const entry = toPlain(document, item);
      const declaredId = isRecord(entry) ? entry.resource_id : undefined;
      const id =
        typeof declaredId === 'string' && declaredId !== '' ? declaredId : derivedExampleId(index);
      const problem = addResource(table, entry, id, uuid, { kind: 'examples', index }, 'example');
      if (problem !== undefined) return { problem };
    }
  }

  return table;
}

function addResource(
  table: ResourceTable,
  entry: unknown,
  id: string,
  uuid: string,
  locator: ResourceLocator,
  forcedType?: string,
): string | undefined {
  if (!isRecord(entry)) return `resource "${id}" is not a map`;
  if (table.locators.has(id)) return `two resources have the id "${id}"`;
  const type = forcedType ?? resourceTypeOf(entry);
  if (type === undefined) return `resource "${id}" has no \`resource_type\``;

  const resource: Fields = { ...entry, resource_type: type, resource_id: id, integration: uuid };
  if (type === 'file') {
    delete resource.content;
    const filepath = filepathOf(entry);
    if (filepath === undefined)
      return `file resource "${id}" has neither \`filepath\` nor \`name\``;
    const problem = nameProblem(filepath);
    if (problem !== undefined) {
      return `file resource "${id}" has the filepath ${JSON.stringify(filepath)}, which is not allowed: ${problem}`;
    }
    resource.filepath = filepath;
    table.files.set(id, filepath);
  }
  table.resources.set(id, resource);
  table.locators.set(id, locator);

  return undefined;
}

/** Infers a missing `resource_type` the way Beaker does: a filepath means a file, code an example. */
function resourceTypeOf(entry: Fields): string | undefined {
  if (typeof entry.resource_type === 'string' && entry.resource_type !== '') {
    return entry.resource_type;
  }
  if (entry.filepath !== undefined && entry.filepath !== null) return 'file';
  if (entry.code !== undefined && entry.code !== null) return 'example';

  return undefined;
}

function filepathOf(entry: Fields): string | undefined {
  if (typeof entry.filepath === 'string' && entry.filepath !== '') return entry.filepath;
  if (typeof entry.name === 'string' && entry.name !== '') return derivedFilepath(entry.name);

  return undefined;
}

function toPlain(document: Document, value: unknown): unknown {
  return isNode(value) ? (value as Node).toJS(document, { maxAliasCount: MAX_ALIAS_COUNT }) : value;
}

function isEmpty(node: unknown): boolean {
  return node === undefined || node === null || (isScalar(node) && node.value === null);
}

/** Tells whether a value is a plain object, as YAML maps convert to. */
export function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns the first line of an error's message, without the code frame that `yaml` adds. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);

  return message.split('\n', 1)[0] ?? message;
}
