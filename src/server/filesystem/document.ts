/**
 * Edits of a parsed api.yaml. Each edit changes only the nodes it names, so comments, key order,
 * tags and fields that this library does not know stay as they were.
 *
 * @module
 */
import { Document, isMap, isScalar, isSeq, YAMLMap } from 'yaml';
import { type IntegrationView, keyText, type ResourceLocator } from './mapping.js';

type Fields = Record<string, unknown>;

/**
 * Options of every api.yaml this provider writes. A line width of 0 turns off folding, so long
 * lines that were not edited keep their shape.
 */
const TO_STRING_OPTIONS = { lineWidth: 0 } as const;

/** Serializes a document as the text of api.yaml. */
export function documentText(document: Document): string {
  return document.toString(TO_STRING_OPTIONS);
}

/** Creates the document of a new integration from its fields, in the order given. */
export function createDocument(fields: Fields): Document {
  return new Document(withoutUndefined(fields));
}

/**
 * Writes the ids that the mapping derived into the document, so that they stay the same after
 * the entries around them change. These are the integration's `uuid` and the `resource_id` of
 * each entry in the legacy `examples` list, whose derived id depends on its position.
 */
export function pinDerivedIds(document: Document, view: IntegrationView): void {
  const root = rootMap(document);
  if (view.uuidDerived) root.set('uuid', view.integration.uuid);

  for (const [id, locator] of view.locators) {
    if (locator.kind !== 'examples') continue;
    const entry = findEntry(document, locator);
    if (entry !== undefined && typeof entry.get('resource_id') !== 'string') {
      entry.set('resource_id', id);
    }
  }
}

/** Sets top-level fields; values that are undefined are skipped. */
export function setFields(document: Document, fields: Fields): void {
  setEach(document, rootMap(document), fields);
}

/** Adds a resource entry under `resources`, creating the map when api.yaml has none. */
export function addResourceEntry(document: Document, id: string, entry: Fields): void {
  const root = rootMap(document);
  const found = root.get('resources', true);
  let resources: YAMLMap;
  if (isMap(found)) {
    resources = found;
  } else {
    resources = new YAMLMap();
    root.set('resources', resources);
  }
  // An empty map written as `{}` would otherwise stay in flow style with its new entries.
  if (resources.items.length === 0) resources.flow = false;
  resources.set(id, document.createNode(withoutUndefined(entry)));
}

/**
 * Sets fields of one resource entry. An entry that is not a map node, such as an alias, is
 * replaced by a map of `current` and the new fields.
 */
export function updateResourceEntry(
  document: Document,
  locator: ResourceLocator,
  current: Fields,
  fields: Fields,
): void {
  const entry = findEntry(document, locator);
  if (entry !== undefined) {
    setEach(document, entry, fields);

    return;
  }
  const replacement = document.createNode(withoutUndefined({ ...current, ...fields }));
  if (locator.kind === 'resources') {
    const pair = resourcePairs(document).find((item) => keyText(item.key) === locator.key);
    if (pair !== undefined) pair.value = replacement;
  } else {
    const examples = rootMap(document).get('examples', true);
    if (isSeq(examples)) examples.items[locator.index] = replacement;
  }
}

/** Removes one resource entry. */
export function removeResourceEntry(document: Document, locator: ResourceLocator): void {
  const root = rootMap(document);
  if (locator.kind === 'resources') {
    const resources = root.get('resources', true);
    if (!isMap(resources)) return;
    const index = resources.items.findIndex((item) => keyText(item.key) === locator.key);
    if (index >= 0) resources.items.splice(index, 1);

    return;
  }
  const examples = root.get('examples', true);
  if (isSeq(examples)) examples.items.splice(locator.index, 1);
}

function findEntry(document: Document, locator: ResourceLocator): YAMLMap | undefined {
  if (locator.kind === 'resources') {
    const pair = resourcePairs(document).find((item) => keyText(item.key) === locator.key);

    return isMap(pair?.value) ? pair.value : undefined;
  }
  const examples = rootMap(document).get('examples', true);
  const item = isSeq(examples) ? examples.items[locator.index] : undefined;

  return isMap(item) ? item : undefined;
}

function resourcePairs(document: Document): YAMLMap['items'] {
  const resources = rootMap(document).get('resources', true);

  return isMap(resources) ? resources.items : [];
}

function rootMap(document: Document): YAMLMap {
  const root = document.contents;
  if (!isMap(root)) throw new TypeError('api.yaml does not hold a YAML map');

  return root;
}

function setEach(document: Document, map: YAMLMap, fields: Fields): void {
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const current = map.get(key, true);
    // A text keeps its node, and with it the style (such as a `|` block) that the file used.
    const keepsNode =
      isScalar(current) &&
      current.tag === undefined &&
      typeof current.value === 'string' &&
      typeof value === 'string';
    if (keepsNode) {
      current.value = value;
    } else {
      map.set(key, document.createNode(value));
    }
  }
}

function withoutUndefined(fields: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
