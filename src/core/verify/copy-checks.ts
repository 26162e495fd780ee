/**
 * The `returns-copies` check: a caller that changes what a provider returned, or the payload it
 * passed in, does not change what the provider returns next.
 *
 * @module
 */
import { type ContractCheck, fail } from './check.js';
import { deepEqual, differingKeys, formatCall, quote } from './describe.js';
import { sampleExample, sampleIntegration } from './payloads.js';
import { isRecord, type ProviderProbe, type ProviderRecord } from './probe.js';
import { inspectIntegrations } from './targets.js';

/** Nesting depth up to which `returns-copies` changes a value. */
const MAX_CHANGE_DEPTH = 4;

/** Text written over every string that `returns-copies` changes. */
const CHANGED_TEXT = 'changed by verifyProvider';

const EXPECTED_COPY =
  'expected the provider to store and return copies (for example with structuredClone)';

/** Changing a returned object or a passed payload does not change the provider. */
export const returnsCopies: ContractCheck = {
  name: 'returns-copies',
  async run(probe) {
    const [target] = await inspectIntegrations(probe);
    const id = target!.id;
    const checked = ['getIntegration', 'listIntegrations', 'listResources'];

    await assertCopied(`getIntegration(${quote(id)})`, () =>
      probe.getIntegration(id, 'the integration'),
    );
    await assertCopied('listIntegrations()', () => probe.listIntegrations());
    const resources = await assertCopied(`listResources(${quote(id)}, undefined)`, () =>
      probe.listResources(id),
    );
    const first = resources[0];
    if (first !== undefined) {
      const resourceId = String(first.resource_id);
      await assertCopied(`getResource(${quote(id)}, ${quote(resourceId)})`, () =>
        probe.getResource(id, resourceId, 'the resource'),
      );
      checked.push('getResource');
    }
    if (probe.mutable) {
      await assertWritesCopy(probe);
      checked.push('addIntegration', 'addResource');
    }

    return `${checked.join(', ')} keep their data apart from the caller's objects`;
  },
};

/**
 * Reads a value, changes it in place, reads again and asserts that the second read equals the first
 * as it was. Returns the first read as it was.
 */
async function assertCopied<T extends ProviderRecord | ProviderRecord[]>(
  call: string,
  read: () => Promise<T>,
): Promise<T> {
  const first = await read();
  const before = structuredClone(first);
  changeInPlace(first, 0);
  const second = await read();
  if (deepEqual(second, before)) return before;

  fail(
    `After the caller changed the value that ${call} returned, the next ${call} differed (${describeChange(before, second)}); ${EXPECTED_COPY}`,
  );
}

/**
 * Creates an integration and a resource, changes both the payloads passed in and the results, and
 * asserts that reads still return what was stored.
 */
async function assertWritesCopy(probe: ProviderProbe): Promise<void> {
  const payload = sampleIntegration('returns-copies');
  const uuid = payload.uuid as string;
  const readIntegration = () => probe.getIntegration(uuid, 'the integration');
  const integrationCall = formatCall('addIntegration', [payload]);
  const sentIntegration = structuredClone(payload);
  const created = await probe.expectObject('addIntegration', [sentIntegration], 'the integration');
  const storedIntegration = structuredClone(await readIntegration());
  changeInPlace(sentIntegration, 0);
  changeInPlace(created, 0);
  assertUnchanged(
    storedIntegration,
    await readIntegration(),
    integrationCall,
    `getIntegration(${quote(uuid)})`,
  );

  const resource = sampleExample(probe.kinds, uuid, 'returns-copies');
  const resourceId = resource.resource_id as string;
  const readResource = () => probe.getResource(uuid, resourceId, 'the resource');
  const resourceCall = formatCall('addResource', [uuid, resource]);
  const sentResource = structuredClone(resource);
  const added = await probe.expectObject('addResource', [uuid, sentResource], 'the resource');
  const storedResource = structuredClone(await readResource());
  changeInPlace(sentResource, 0);
  changeInPlace(added, 0);
  assertUnchanged(
    storedResource,
    await readResource(),
    resourceCall,
    `getResource(${quote(uuid)}, ${quote(resourceId)})`,
  );
}

function assertUnchanged(
  stored: ProviderRecord,
  read: ProviderRecord,
  writeCall: string,
  readCall: string,
): void {
  if (deepEqual(read, stored)) return;

  fail(
    `After the caller changed the payload that it passed to ${writeCall} and the value it returned, ${readCall} differed (${describeChange(stored, read)}); ${EXPECTED_COPY}`,
  );
}

function describeChange(before: unknown, after: unknown): string {
  return isRecord(before) && isRecord(after)
    ? `the fields ${quote(differingKeys(before, after))} changed`
    : `it returned ${quote(after)}`;
}

/**
 * Overwrites strings, empties arrays and adds a field, recursively. `Reflect` is used so that a
 * frozen value, which a caller cannot change either, is left as it is instead of throwing.
 */
function changeInPlace(value: unknown, depth: number): void {
  if (depth > MAX_CHANGE_DEPTH || typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) changeInPlace(item, depth + 1);
    Reflect.set(value, 'length', 0);

    return;
  }

  for (const key of Object.keys(value)) {
    const field = (value as ProviderRecord)[key];
    if (typeof field === 'object' && field !== null) changeInPlace(field, depth + 1);
    else if (typeof field === 'string') Reflect.set(value, key, CHANGED_TEXT);
  }
  Reflect.set(value, 'verify_changed', true);
}
