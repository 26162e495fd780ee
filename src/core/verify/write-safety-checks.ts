/**
 * Checks that the writes of a mutable provider keep ids apart, reject taken and unknown ids, and
 * keep fields they do not know.
 *
 * @module
 */
import { generateId } from '../schemas.js';
import { type ContractCheck, fail, resourceIds } from './check.js';
import { deepEqual, quote } from './describe.js';
import {
  integrationUpdatePayload,
  resourceUpdatePayload,
  sampleExample,
  sampleIntegration,
} from './payloads.js';
import { createIntegration } from './write-checks.js';

/** A field that no schema defines, to see that it passes through. */
const EXTRA_FIELD = 'verify_extra';
const EXTRA_VALUE = { nested: ['kept', 1, true, null], flag: false };

/**
 * Every create keeps its own id, even after a remove. The schema generates the ids of parsed
 * payloads, so this fails when a provider keys items by something else (a name, a counter, the
 * size of a list) or replaces the ids with colliding ones.
 */
export const generatedIdsUnique: ContractCheck = {
  name: 'generated-ids-unique',
  requires: 'mutable',
  async run(probe) {
    const count = probe.settings.concurrency;
    const before = (await probe.listIntegrations()).length;
    const uuids: unknown[] = [];
    for (let index = 1; index <= count; index += 1) {
      uuids.push((await probe.addIntegration(sampleIntegration(`unique ${index}`))).uuid);
    }
    assertDistinct(uuids, `${count} addIntegration calls`);
    const listed = (await probe.listIntegrations()).length;
    if (listed !== before + count) {
      fail(
        `listIntegrations() returned ${listed} integrations after ${count} addIntegration calls, ${before} before; expected ${before + count}`,
      );
    }

    const id = uuids[0] as string;
    const ids: unknown[] = [];
    for (let index = 1; index <= count; index += 1) {
      ids.push(
        (await probe.addResource(id, sampleExample(probe.kinds, id, 'same content'))).resource_id,
      );
    }
    await probe.removeResource(id, String(ids[0]));
    const replacement = await probe.addResource(id, sampleExample(probe.kinds, id, 'same content'));
    ids[0] = replacement.resource_id;
    assertDistinct(
      ids,
      `${count} addResource(${quote(id)}, …) calls with the same content and a removeResource`,
    );

    const stored = resourceIds(await probe.listResources(id));
    if (stored.length !== count) {
      fail(
        `listResources(${quote(id)}, undefined) returned ${stored.length} resources after ${count} adds, one remove and one add; expected ${count}`,
      );
    }

    return `${count} integrations and ${count} resources with the same content get distinct ids`;
  },
};

function assertDistinct(ids: readonly unknown[], calls: string): void {
  const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (repeated.length === 0) return;

  fail(
    `${calls} returned the ids ${quote([...new Set(repeated)])} more than once; expected distinct ids`,
  );
}

/** Creates with a taken id throw the conflict errors and leave the stored item as it was. */
export const createConflict: ContractCheck = {
  name: 'create-conflict',
  requires: 'mutable',
  async run(probe) {
    const original = sampleIntegration('create-conflict');
    const uuid = original.uuid as string;
    await probe.addIntegration(original);
    const duplicate = sampleIntegration('create-conflict duplicate', { uuid });
    await probe.expectError(
      'addIntegration',
      [duplicate],
      'integration_exists',
      `an integration with the uuid ${quote(uuid)} exists`,
    );
    const stored = await probe.getIntegration(uuid, 'the original integration');
    if (stored.name !== original.name) {
      fail(
        `getIntegration(${quote(uuid)}) returned the name ${quote(stored.name)} after a rejected duplicate create; expected the original ${quote(original.name)}`,
      );
    }

    const resource = sampleExample(probe.kinds, uuid, 'create-conflict');
    const resourceId = resource.resource_id as string;
    await probe.addResource(uuid, resource);
    const duplicateResource = sampleExample(probe.kinds, uuid, 'create-conflict duplicate', {
      resource_id: resourceId,
    });
    await probe.expectError(
      'addResource',
      [uuid, duplicateResource],
      'resource_exists',
      `integration ${quote(uuid)} has a resource ${quote(resourceId)}`,
    );
    const storedResource = await probe.getResource(uuid, resourceId, 'the original resource');
    if (storedResource.query !== resource.query) {
      fail(
        `getResource(${quote(uuid)}, ${quote(resourceId)}) returned the query ${quote(storedResource.query)} after a rejected duplicate create; expected the original ${quote(resource.query)}`,
      );
    }

    return 'duplicate creates throw IntegrationExistsError and ResourceExistsError and change nothing';
  },
};

/** Writes that name an unknown integration or resource throw not-found and create nothing. */
export const writeNotFound: ContractCheck = {
  name: 'write-not-found',
  requires: 'mutable',
  async run(probe) {
    const unknown = `verify-missing-${generateId()}`;
    const missingResource = `verify-missing-${generateId()}`;
    const id = await createIntegration(probe, 'write-not-found');
    const integrationUpdate = integrationUpdatePayload({ name: 'Verify never stored' });
    const resourceUpdate = resourceUpdatePayload(probe.kinds, 'example', { notes: 'never stored' });
    const noIntegration = 'no integration has this id';
    const noResource = `integration ${quote(id)} has no resource with this id`;

    await probe.expectError(
      'updateIntegration',
      [unknown, integrationUpdate],
      'integration_not_found',
      noIntegration,
    );
    await probe.expectError('removeIntegration', [unknown], 'integration_not_found', noIntegration);
    await probe.expectError(
      'addResource',
      [unknown, sampleExample(probe.kinds, unknown, 'orphan')],
      'integration_not_found',
      noIntegration,
    );
    await probe.expectError(
      'updateResource',
      [unknown, missingResource, resourceUpdate],
      'integration_not_found',
      noIntegration,
    );
    await probe.expectError(
      'removeResource',
      [unknown, missingResource],
      'integration_not_found',
      noIntegration,
    );
    await probe.expectError(
      'updateResource',
      [id, missingResource, resourceUpdate],
      'resource_not_found',
      noResource,
    );
    await probe.expectError(
      'removeResource',
      [id, missingResource],
      'resource_not_found',
      noResource,
    );

    const listed = (await probe.listIntegrations()).map((integration) => integration.uuid);
    if (listed.includes(unknown)) {
      fail(
        `listIntegrations() returns ${quote(unknown)} after writes to that unknown id; expected them to create nothing`,
      );
    }
    const resources = resourceIds(await probe.listResources(id));
    if (resources.length > 0) {
      fail(
        `listResources(${quote(id)}, undefined) returned ${quote(resources)} after updateResource and removeResource of an unknown id; expected them to create nothing`,
      );
    }

    return 'writes to unknown integrations and resources throw the not-found errors and create nothing';
  },
};

/** Fields that no schema defines pass through creates, updates and reads. */
export const unknownFieldsKept: ContractCheck = {
  name: 'unknown-fields-kept',
  requires: 'mutable',
  async run(probe) {
    const payload = sampleIntegration('unknown-fields-kept', { [EXTRA_FIELD]: EXTRA_VALUE });
    const uuid = payload.uuid as string;
    await probe.addIntegration(payload);
    await assertExtraKept(
      'addIntegration',
      () => probe.getIntegration(uuid, 'the integration'),
      `getIntegration(${quote(uuid)})`,
    );

    const resource = sampleExample(probe.kinds, uuid, 'unknown-fields-kept', {
      [EXTRA_FIELD]: EXTRA_VALUE,
    });
    const resourceId = resource.resource_id as string;
    const readResource = () => probe.getResource(uuid, resourceId, 'the resource');
    const resourceCall = `getResource(${quote(uuid)}, ${quote(resourceId)})`;
    await probe.addResource(uuid, resource);
    await assertExtraKept('addResource', readResource, resourceCall);

    const addedField = 'verify_added';
    await probe.updateIntegration(
      uuid,
      integrationUpdatePayload({ [addedField]: 'added by update' }),
    );
    const integration = await assertExtraKept(
      'updateIntegration',
      () => probe.getIntegration(uuid, 'the integration'),
      `getIntegration(${quote(uuid)})`,
    );
    if (integration[addedField] !== 'added by update') {
      fail(
        `getIntegration(${quote(uuid)}) has \`${addedField}\` = ${quote(integration[addedField])} after updateIntegration set it; expected "added by update"`,
      );
    }

    await probe.updateResource(
      uuid,
      resourceId,
      resourceUpdatePayload(probe.kinds, 'example', { [addedField]: 'added by update' }),
    );
    const updated = await assertExtraKept('updateResource', readResource, resourceCall);
    if (updated[addedField] !== 'added by update') {
      fail(
        `${resourceCall} has \`${addedField}\` = ${quote(updated[addedField])} after updateResource set it; expected "added by update"`,
      );
    }

    return `the unknown fields \`${EXTRA_FIELD}\` and \`${addedField}\` pass through creates, updates and reads`;
  },
};

async function assertExtraKept(
  write: string,
  read: () => Promise<Record<string, unknown>>,
  readCall: string,
): Promise<Record<string, unknown>> {
  const value = await read();
  if (deepEqual(value[EXTRA_FIELD], EXTRA_VALUE)) return value;

  fail(
    `${readCall} has \`${EXTRA_FIELD}\` = ${quote(value[EXTRA_FIELD])} after ${write} (the payload had ${quote(EXTRA_VALUE)}); expected fields that no schema defines to pass through unchanged`,
  );
}
