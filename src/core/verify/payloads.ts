/**
 * Write payloads in the parsed form that providers receive from the context: built with the same
 * schemas, so ids are filled in and identity fields are removed from updates.
 *
 * @module
 */
import {
  type IntegrationCreateInput,
  IntegrationCreateSchema,
  IntegrationUpdateSchema,
  type ResourceKinds,
  resourceCreateSchema,
  resourceUpdateSchema,
} from '../schemas.js';
import type { ProviderRecord } from './probe.js';

/** Builds the payload of `addIntegration`, generating `uuid` and `slug` when absent. */
export function integrationPayload(input: IntegrationCreateInput): ProviderRecord {
  return IntegrationCreateSchema.parse(input);
}

/** Builds an integration create payload with every built-in field set, named after `label`. */
export function sampleIntegration(
  label: string,
  extra: Partial<IntegrationCreateInput> = {},
): ProviderRecord {
  return integrationPayload({
    name: `Verify ${label}`,
    description: `Integration created by verifyProvider for the ${label} check`,
    datatype: 'dataset',
    url: 'https://example.org/verify',
    source: 'verifyProvider',
    last_updated: '2024-05-01T10:00:00Z',
    ...extra,
  });
}

/**
 * Builds the payload of `addResource`: the kind's schema fills in `resource_id`, and `integration`
 * is the parent's uuid, as the context sets it.
 */
export function resourcePayload(
  kinds: ResourceKinds,
  integrationId: string,
  input: ProviderRecord & { resource_type: string },
): ProviderRecord {
  const parsed = resourceCreateSchema(kinds, input.resource_type).parse(input);

  return { ...parsed, integration: integrationId };
}

/** Builds an `example` resource payload whose fields are all set, named after `label`. */
export function sampleExample(
  kinds: ResourceKinds,
  integrationId: string,
  label: string,
  extra: ProviderRecord = {},
): ProviderRecord {
  return resourcePayload(kinds, integrationId, {
    resource_type: 'example',
    query: `How is ${label} used?`,
    code: `print(${JSON.stringify(label)})`,
    notes: `Written by verifyProvider for ${label}`,
    ...extra,
  });
}

/** Builds a `file` resource payload with content, named after `label`. */
export function sampleFile(
  kinds: ResourceKinds,
  integrationId: string,
  label: string,
): ProviderRecord {
  return resourcePayload(kinds, integrationId, {
    resource_type: 'file',
    name: `${label}.md`,
    filepath: `${label}.md`,
    content: `# ${label}\n\nWritten by verifyProvider.\n`,
  });
}

/** Builds the payload of `updateIntegration`: only the fields given, no identity fields. */
export function integrationUpdatePayload(input: ProviderRecord): ProviderRecord {
  const {
    uuid: _uuid,
    provider: _provider,
    resources: _resources,
    ...fields
  } = IntegrationUpdateSchema.parse(input);

  return fields;
}

/** Builds the payload of `updateResource` for one kind: only the fields given, no identity fields. */
export function resourceUpdatePayload(
  kinds: ResourceKinds,
  resourceType: string,
  input: ProviderRecord,
): ProviderRecord {
  const {
    resource_id: _id,
    integration: _integration,
    resource_type: _type,
    ...fields
  } = resourceUpdateSchema(kinds, resourceType).parse(input);

  return fields;
}
