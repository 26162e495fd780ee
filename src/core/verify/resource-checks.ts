/**
 * Checks of resource reads and of the copies that reads return, which every provider must pass.
 *
 * @module
 */
import { assertResource, assertSubset, type ContractCheck, fail, resourceIds } from './check.js';
import { deepEqual, plural, quote } from './describe.js';
import { isRecord, type ProviderProbe, type ProviderRecord } from './probe.js';
import { inspectResources } from './targets.js';

/** Every resource passes its kind's schema, names its parent, and reads agree with the list. */
export const resourcesValid: ContractCheck = {
  name: 'resources-valid',
  async run(probe) {
    const targets = await inspectResources(probe);
    let count = 0;

    for (const { id, resources } of targets) {
      const listCall = `listResources(${quote(id)}, undefined)`;
      for (const resource of resources) assertResource(resource, probe, listCall, id);
      const listedIds = resourceIds(resources);
      if (new Set(listedIds).size !== listedIds.length) {
        fail(`${listCall} returned the ids ${quote(listedIds)}; expected each id once`);
      }

      const integration = await probe.getIntegration(id, 'the integration');
      const map = assertResourceMap(integration, probe, id);
      const mapIds = Object.keys(map).sort();
      if (!deepEqual(mapIds, [...listedIds].sort())) {
        fail(
          `getIntegration(${quote(id)}) has the resources ${quote(mapIds)} but ${listCall} returned ${quote(listedIds)}; expected the same ids`,
        );
      }

      for (const listed of resources.slice(0, probe.settings.maxItems)) {
        const resourceId = String(listed.resource_id);
        const where = `getResource(${quote(id)}, ${quote(resourceId)})`;
        const fetched = await probe.getResource(
          id,
          resourceId,
          `the resource listed by ${listCall}`,
        );
        assertResource(fetched, probe, where, id);
        assertSubset(listed, fetched, listCall, where);
        assertSubset(map[resourceId]!, fetched, `getIntegration(${quote(id)}).resources`, where);
        count += 1;
      }
    }

    return `${plural(count, 'resource')} in ${plural(targets.length, 'integration')} are valid and agree across listResources, getIntegration and getResource`;
  },
};

/** Asserts that `getIntegration` returned a map of resource id to valid resource. */
function assertResourceMap(
  integration: ProviderRecord,
  probe: ProviderProbe,
  integrationId: string,
): Record<string, ProviderRecord> {
  const where = `getIntegration(${quote(integrationId)})`;
  const map = integration.resources;
  if (!isRecord(map)) {
    fail(`${where} has \`resources\` ${quote(map)}; expected an object of resource id to resource`);
  }

  for (const [key, resource] of Object.entries(map)) {
    if (!isRecord(resource))
      fail(`${where}.resources[${quote(key)}] is ${quote(resource)}; expected a resource`);
    assertResource(resource, probe, `${where}.resources[${quote(key)}]`, integrationId);
    if (resource.resource_id !== key) {
      fail(
        `${where}.resources has the key ${quote(key)} for a resource whose \`resource_id\` is ${quote(resource.resource_id)}; expected the key to equal the id`,
      );
    }
  }

  return map as Record<string, ProviderRecord>;
}

/** A type filter returns exactly the unfiltered resources of that type. */
export const resourceTypeFilter: ContractCheck = {
  name: 'resource-type-filter',
  async run(probe) {
    const targets = await inspectResources(probe);
    const checked = new Set<string>();

    for (const { id, resources } of targets) {
      const types = [...new Set(resources.map((resource) => String(resource.resource_type)))];
      for (const type of types) {
        const expected = resourceIds(
          resources.filter((resource) => resource.resource_type === type),
        );
        const filtered = resourceIds(await probe.listResources(id, type));
        if (!deepEqual([...filtered].sort(), [...expected].sort())) {
          fail(
            `listResources(${quote(id)}, ${quote(type)}) returned ${quote(filtered)}; expected ${quote(expected)}, the resources of that type in listResources(${quote(id)}, undefined)`,
          );
        }
        checked.add(type);
      }

      const unknownType = 'verify-no-such-type';
      const none = await probe.listResources(id, unknownType);
      if (none.length > 0) {
        fail(
          `listResources(${quote(id)}, ${quote(unknownType)}) returned ${quote(resourceIds(none))}; expected [] for a type that no resource has`,
        );
      }
    }

    return `listResources with the types ${quote([...checked])} agrees with the unfiltered list`;
  },
};
