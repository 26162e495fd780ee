/**
 * Builders of api.yaml entries and of the values that writes return.
 *
 * @module
 */
import type { Integration, Resource } from '../../core/schemas.js';
import type { IntegrationView } from './mapping.js';

type Fields = Record<string, unknown>;

/** Puts the identity fields first, as Beaker writes them, followed by the rest in order. */
export function resourceEntry(fields: Fields, id: string, uuid: string): Fields {
  const { resource_type, resource_id: _id, integration: _integration, ...rest } = fields;

  return { resource_type, resource_id: id, integration: uuid, ...rest };
}

/**
 * Returns the top-level fields of a new api.yaml: the known ones first, in a fixed order, then
 * the rest as given. Beaker's loader requires `description` and `source`, so both are always
 * written.
 */
export function integrationFields(fields: Fields, providerId: string): Fields {
  const { name, description, datatype, url, img_url, source, last_updated, ...rest } = fields;

  return {
    name,
    slug: fields.slug,
    uuid: fields.uuid,
    description: description ?? '',
    datatype,
    url,
    img_url,
    source: source ?? null,
    last_updated,
    provider: providerId,
    ...withoutKeys(rest, ['slug', 'uuid', 'provider', 'resources']),
  };
}

function withoutKeys(fields: Fields, keys: readonly string[]): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([key]) => !keys.includes(key)));
}

/** Returns a copy of one resource of a view, with `content` when it is given. */
export function resourceOf(
  view: IntegrationView,
  id: string,
  content: string | undefined,
): Resource {
  const resource = structuredClone(view.integration.resources[id]!);
  if (content !== undefined) (resource as Fields).content = content;

  return resource;
}

/** Returns a copy of a view's integration, with the given contents of its file resources. */
export function withContents(
  view: IntegrationView,
  contents: ReadonlyMap<string, string>,
): Integration {
  const integration = structuredClone(view.integration);
  for (const [id, content] of contents) {
    const resource = integration.resources[id];
    if (resource !== undefined) (resource as Fields).content = content;
  }

  return integration;
}
