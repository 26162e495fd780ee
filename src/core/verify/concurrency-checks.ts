/**
 * The `concurrent-writes` check: parallel writes of a mutable provider all take effect.
 *
 * @module
 */
import { type ContractCheck, fail, resourceIds } from './check.js';
import { describeError, quote } from './describe.js';
import { resourceUpdatePayload, sampleExample, sampleIntegration } from './payloads.js';
import type { CallOutcome, ProviderProbe } from './probe.js';
import { createIntegration } from './write-checks.js';

/**
 * Parallel `addResource` and `updateResource` calls on one integration, and parallel
 * `addIntegration` calls, all take effect.
 */
export const concurrentWrites: ContractCheck = {
  name: 'concurrent-writes',
  requires: 'mutable',
  async run(probe) {
    const count = probe.settings.concurrency;
    const id = await createIntegration(probe, 'concurrent-writes');

    const ids = await addResourcesConcurrently(probe, id, count);
    await updateResourcesConcurrently(probe, id, ids);
    await addIntegrationsConcurrently(probe, count);

    return `${count} concurrent addResource, updateResource and addIntegration calls lose nothing`;
  },
};

async function addResourcesConcurrently(
  probe: ProviderProbe,
  id: string,
  count: number,
): Promise<string[]> {
  const payloads = Array.from({ length: count }, (_, index) =>
    sampleExample(probe.kinds, id, `concurrent ${index + 1}`),
  );
  const ids = resourceIds(payloads);
  const outcomes = await Promise.all(
    payloads.map((payload) => probe.settle('addResource', [id, structuredClone(payload)])),
  );
  assertAllSucceeded(outcomes, `${count} concurrent addResource(${quote(id)}, …) calls`);

  const stored = resourceIds(await probe.listResources(id));
  const lost = ids.filter((resourceId) => !stored.includes(resourceId));
  if (lost.length > 0) {
    fail(
      `listResources(${quote(id)}, undefined) lacks ${lost.length} of ${count} resources added concurrently (${quote(lost)}); expected every write kept, so serialize read-modify-write cycles per integration`,
    );
  }

  return ids;
}

async function updateResourcesConcurrently(
  probe: ProviderProbe,
  id: string,
  ids: readonly string[],
): Promise<void> {
  const notes = ids.map((_, index) => `concurrent update ${index + 1}`);
  const outcomes = await Promise.all(
    ids.map((resourceId, index) =>
      probe.settle('updateResource', [
        id,
        resourceId,
        resourceUpdatePayload(probe.kinds, 'example', { notes: notes[index] }),
      ]),
    ),
  );
  assertAllSucceeded(outcomes, `${ids.length} concurrent updateResource(${quote(id)}, …) calls`);

  for (const [index, resourceId] of ids.entries()) {
    const resource = await probe.getResource(id, resourceId, 'the resource');
    if (resource.notes !== notes[index]) {
      fail(
        `getResource(${quote(id)}, ${quote(resourceId)}) has the notes ${quote(resource.notes)} after ${ids.length} concurrent updateResource calls; expected ${quote(notes[index])}`,
      );
    }
  }
}

async function addIntegrationsConcurrently(probe: ProviderProbe, count: number): Promise<void> {
  const payloads = Array.from({ length: count }, (_, index) =>
    sampleIntegration(`concurrent ${index + 1}`),
  );
  const outcomes = await Promise.all(
    payloads.map((payload) => probe.settle('addIntegration', [structuredClone(payload)])),
  );
  assertAllSucceeded(outcomes, `${count} concurrent addIntegration calls`);

  const listed = (await probe.listIntegrations()).map((integration) => integration.uuid);
  const missing = payloads.map((payload) => payload.uuid).filter((uuid) => !listed.includes(uuid));
  if (missing.length > 0) {
    fail(
      `listIntegrations() lacks ${missing.length} of ${count} integrations added concurrently (${quote(missing)}); expected every create kept`,
    );
  }
}

function assertAllSucceeded(outcomes: readonly CallOutcome[], calls: string): void {
  const failures = outcomes.filter((outcome) => !outcome.ok);
  const first = failures[0];
  if (first === undefined || first.ok) return;

  fail(
    `${failures.length} of ${calls} threw, the first ${first.label} with ${describeError(first.error)}; expected every call to succeed`,
  );
}
