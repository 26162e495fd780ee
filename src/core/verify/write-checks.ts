/**
 * Checks that each write of a mutable provider round-trips through the matching read.
 *
 * @module
 */
import {
  assertFieldsKept,
  assertIntegration,
  assertResource,
  assertSameAs,
  assertSubset,
  type ContractCheck,
  fail,
  resourceIds,
} from './check.js';
import { differingKeys, formatCall, quote } from './describe.js';
import {
  integrationUpdatePayload,
  resourceUpdatePayload,
  sampleExample,
  sampleFile,
  sampleIntegration,
} from './payloads.js';
import { isRecord, type ProviderProbe, type ProviderRecord } from './probe.js';
import { seedIntegration } from './targets.js';

/** Creates an integration from a sample payload and returns its uuid. */
export async function createIntegration(probe: ProviderProbe, label: string): Promise<string> {
  const payload = sampleIntegration(label);
  await probe.addIntegration(payload);

  return payload.uuid as string;
}

/** `addIntegration` stores the payload, with its resources, and reads return it. */
export const addIntegrationRoundTrip: ContractCheck = {
  name: 'add-integration-round-trip',
  requires: 'mutable',
  async run(probe) {
    const before = await probe.listIntegrations();
    const payload = sampleIntegration('add-integration-round-trip');
    const uuid = payload.uuid as string;
    const resource = sampleExample(probe.kinds, uuid, 'created with its integration');
    const resourceId = resource.resource_id as string;
    payload.resources = { [resourceId]: resource };
    const where = formatCall('addIntegration', [payload]);

    const created = await probe.addIntegration(payload);
    assertIntegration(created, probe, where);
    if (created.uuid !== uuid) {
      fail(
        `${where} returned the uuid ${quote(created.uuid)}; expected ${quote(uuid)} from the payload, where the schema already generated it`,
      );
    }
    assertFieldsKept(payload, created, where, ['resources']);
    const stored = isRecord(created.resources) ? created.resources[resourceId] : undefined;
    if (!isRecord(stored)) {
      fail(
        `${where} returned no resource ${quote(resourceId)}; expected the resources of the payload's \`resources\`, which the context passes on create`,
      );
    }
    assertFieldsKept(resource, stored, `${where}.resources[${quote(resourceId)}]`);

    const readCall = `getIntegration(${quote(uuid)})`;
    const fetched = await probe.getIntegration(uuid, 'the integration that addIntegration stored');
    assertSameAs(created, fetched, where, readCall);

    const after = await probe.listIntegrations();
    if (!after.some((integration) => integration.uuid === uuid)) {
      fail(`listIntegrations() lacks ${quote(uuid)} after ${where}; expected the new integration`);
    }
    if (after.length !== before.length + 1) {
      fail(
        `listIntegrations() returned ${after.length} integrations after ${where}, ${before.length} before; expected exactly one more`,
      );
    }

    return 'addIntegration stores the payload and its resources; getIntegration and listIntegrations return it';
  },
};

/** `addResource` stores the payload, and every read of resources returns it. */
export const addResourceRoundTrip: ContractCheck = {
  name: 'add-resource-round-trip',
  requires: 'mutable',
  async run(probe) {
    const id = await createIntegration(probe, 'add-resource-round-trip');
    const payloads = [
      sampleFile(probe.kinds, id, 'add-resource-file'),
      sampleExample(probe.kinds, id, 'add-resource-example'),
    ];

    for (const payload of payloads) {
      const resourceId = payload.resource_id as string;
      const where = formatCall('addResource', [id, payload]);
      const created = await probe.addResource(id, payload);
      assertResource(created, probe, where, id);
      if (created.resource_id !== resourceId) {
        fail(
          `${where} returned the resource_id ${quote(created.resource_id)}; expected ${quote(resourceId)} from the payload, where the schema already generated it`,
        );
      }
      assertFieldsKept(payload, created, where);

      const readCall = `getResource(${quote(id)}, ${quote(resourceId)})`;
      const fetched = await probe.getResource(
        id,
        resourceId,
        'the resource that addResource stored',
      );
      assertSameAs(created, fetched, where, readCall);

      const listCall = `listResources(${quote(id)}, undefined)`;
      const listed = (await probe.listResources(id)).find(
        (item) => item.resource_id === resourceId,
      );
      if (listed === undefined) {
        fail(`${listCall} lacks ${quote(resourceId)} after ${where}; expected the new resource`);
      }
      assertSubset(listed, fetched, listCall, readCall);

      const integration = await probe.getIntegration(id, 'the integration');
      if (!isRecord(integration.resources) || !isRecord(integration.resources[resourceId])) {
        fail(
          `getIntegration(${quote(id)}).resources lacks ${quote(resourceId)} after ${where}; expected the new resource`,
        );
      }
    }

    return 'addResource stores file and example resources; getResource, listResources and getIntegration return them';
  },
};

/** `updateIntegration` changes the given fields only, and reads return the result. */
export const updateIntegrationRoundTrip: ContractCheck = {
  name: 'update-integration-round-trip',
  requires: 'mutable',
  async run(probe) {
    const id = await seedIntegration(probe, 'update-integration-round-trip');
    let current = await probe.getIntegration(id, 'the integration');

    for (const fields of [
      { name: 'Verify renamed' },
      { description: 'Changed by verifyProvider' },
    ]) {
      const update = integrationUpdatePayload(fields);
      const where = formatCall('updateIntegration', [id, update]);
      const updated = await probe.updateIntegration(id, update);
      assertIntegration(updated, probe, where);
      assertFieldsKept(update, updated, where);
      assertKept(current, updated, Object.keys(update), where);

      const fetched = await probe.getIntegration(id, 'the updated integration');
      assertSameAs(updated, fetched, where, `getIntegration(${quote(id)})`);
      current = fetched;
    }

    return 'updateIntegration changes the given fields, keeps the others, and getIntegration returns the result';
  },
};

/** `updateResource` changes the given fields only, and reads return the result. */
export const updateResourceRoundTrip: ContractCheck = {
  name: 'update-resource-round-trip',
  requires: 'mutable',
  async run(probe) {
    const id = await createIntegration(probe, 'update-resource-round-trip');
    const payload = sampleExample(probe.kinds, id, 'update-resource-round-trip');
    const resourceId = payload.resource_id as string;
    let current = await probe.addResource(id, payload);

    for (const fields of [{ notes: 'Changed by verifyProvider' }, { code: 'print("changed")' }]) {
      const update = resourceUpdatePayload(probe.kinds, 'example', fields);
      const where = formatCall('updateResource', [id, resourceId, update]);
      const updated = await probe.updateResource(id, resourceId, update);
      assertResource(updated, probe, where, id);
      assertFieldsKept(update, updated, where);
      assertKept(current, updated, Object.keys(update), where);

      const fetched = await probe.getResource(id, resourceId, 'the updated resource');
      assertSameAs(updated, fetched, where, `getResource(${quote(id)}, ${quote(resourceId)})`);
      current = fetched;
    }

    return 'updateResource changes the given fields, keeps the others, and getResource returns the result';
  },
};

/** Asserts that an update left every field that it was not given as it was. */
function assertKept(
  before: ProviderRecord,
  after: ProviderRecord,
  updatedFields: readonly string[],
  where: string,
): void {
  const changed = differingKeys(before, after, updatedFields);
  if (changed.length === 0) return;

  const details = changed.map(
    (key) => `\`${key}\` went from ${quote(before[key])} to ${quote(after[key])}`,
  );
  fail(`${where} changed fields it was not given: ${details.join('; ')}; expected them kept`);
}

/** After `removeIntegration`, every read of the integration throws not-found, and others stay. */
export const removeIntegration: ContractCheck = {
  name: 'remove-integration',
  requires: 'mutable',
  async run(probe) {
    const removed = await seedIntegration(probe, 'remove-integration');
    const survivor = await seedIntegration(probe, 'remove-integration-other');
    const [resourceId] = resourceIds(await probe.listResources(removed));
    const call = `removeIntegration(${quote(removed)})`;

    await probe.removeIntegration(removed);
    const reason = `${call} removed it`;
    await probe.expectError('getIntegration', [removed], 'integration_not_found', reason);
    await probe.expectError('listResources', [removed, undefined], 'integration_not_found', reason);
    await probe.expectError('getResource', [removed, resourceId], 'integration_not_found', reason);

    const listed = (await probe.listIntegrations()).map((integration) => integration.uuid);
    if (listed.includes(removed)) {
      fail(`listIntegrations() still returns ${quote(removed)} after ${call}; expected it gone`);
    }
    if (!listed.includes(survivor)) {
      fail(
        `listIntegrations() lacks ${quote(survivor)} after ${call}; expected other integrations kept`,
      );
    }
    await probe.getIntegration(survivor, `the other integration, which ${call} must keep`);
    await probe.expectError(
      'removeIntegration',
      [removed],
      'integration_not_found',
      `${call} already removed it`,
    );

    return 'removeIntegration removes one integration; its reads and a second remove throw IntegrationNotFoundError';
  },
};

/** After `removeResource`, reads of the resource throw not-found, and its siblings stay. */
export const removeResource: ContractCheck = {
  name: 'remove-resource',
  requires: 'mutable',
  async run(probe) {
    const id = await seedIntegration(probe, 'remove-resource');
    const [removed, survivor] = resourceIds(await probe.listResources(id));
    const call = `removeResource(${quote(id)}, ${quote(removed)})`;

    await probe.removeResource(id, removed!);
    await probe.expectError(
      'getResource',
      [id, removed],
      'resource_not_found',
      `${call} removed it`,
    );

    const listed = resourceIds(await probe.listResources(id));
    if (listed.includes(removed!)) {
      fail(
        `listResources(${quote(id)}, undefined) still returns ${quote(removed)} after ${call}; expected it gone`,
      );
    }
    if (!listed.includes(survivor!)) {
      fail(
        `listResources(${quote(id)}, undefined) lacks ${quote(survivor)} after ${call}; expected other resources kept`,
      );
    }
    const integration = await probe.getIntegration(id, 'the integration');
    if (isRecord(integration.resources) && Object.hasOwn(integration.resources, removed!)) {
      fail(
        `getIntegration(${quote(id)}).resources still has ${quote(removed)} after ${call}; expected it gone`,
      );
    }
    await probe.expectError(
      'removeResource',
      [id, removed],
      'resource_not_found',
      `${call} already removed it`,
    );

    return 'removeResource removes one resource; getResource and a second remove throw ResourceNotFoundError';
  },
};
