/**
 * Checks that a provider which sets `supportsCancellation` honours the `AbortSignal` of each call.
 *
 * @module
 */
import { isIntegrationsError } from '../errors.js';
import type { ProviderMethod } from '../provider.js';
import { type ContractCheck, fail } from './check.js';
import { settleWithin } from './deadline.js';
import { describeError, formatCall, quote } from './describe.js';
import { sampleExample, sampleIntegration } from './payloads.js';
import type { ProviderProbe } from './probe.js';
import { inspectIntegrations } from './targets.js';

type ReadCall = [method: ProviderMethod, args: unknown[]];

const SINCE_DECLARED = 'since the provider sets `supportsCancellation`';

/** Builds one call of each read method on an integration and a resource that exist. */
async function readCalls(probe: ProviderProbe): Promise<ReadCall[]> {
  const [target] = await inspectIntegrations(probe);
  const id = target!.id;
  const [resource] = await probe.listResources(id);
  const calls: ReadCall[] = [
    ['listIntegrations', []],
    ['getIntegration', [id]],
    ['listResources', [id, undefined]],
  ];
  if (resource !== undefined) calls.push(['getResource', [id, resource.resource_id]]);

  return calls;
}

function firedSignal(): AbortSignal {
  const controller = new AbortController();
  controller.abort();

  return controller.signal;
}

/** Calls with a signal that has already fired reject, and aborted writes store nothing. */
export const abortedSignal: ContractCheck = {
  name: 'aborted-signal',
  requires: 'cancellation',
  async run(probe) {
    const calls = await readCalls(probe);
    for (const [method, args] of calls) {
      await expectAbortRejection(probe, method, args);
    }
    if (!probe.mutable)
      return `${calls.length} read methods reject when the signal has already fired`;

    const payload = sampleIntegration('aborted-signal');
    const uuid = payload.uuid as string;
    await expectAbortRejection(probe, 'addIntegration', [payload]);
    await probe.expectError(
      'getIntegration',
      [uuid],
      'integration_not_found',
      'addIntegration was called with an aborted signal, so it must store nothing',
    );

    const [target] = await inspectIntegrations(probe);
    const resource = sampleExample(probe.kinds, target!.id, 'aborted-signal');
    await expectAbortRejection(probe, 'addResource', [target!.id, resource]);
    await probe.expectError(
      'getResource',
      [target!.id, resource.resource_id],
      'resource_not_found',
      'addResource was called with an aborted signal, so it must store nothing',
    );

    return `${calls.length} read methods, addIntegration and addResource reject when the signal has already fired`;
  },
};

async function expectAbortRejection(
  probe: ProviderProbe,
  method: ProviderMethod,
  args: unknown[],
): Promise<void> {
  const outcome = await probe.settle(method, args, firedSignal());
  if (outcome.ok) {
    fail(
      `${outcome.label} with an aborted signal resolved to ${quote(outcome.value)}; expected a rejection, such as \`signal.throwIfAborted()\` gives, ${SINCE_DECLARED}`,
    );
  }
  if (isIntegrationsError(outcome.error) && outcome.error.code.endsWith('_not_found')) {
    fail(
      `${outcome.label} with an aborted signal threw ${describeError(outcome.error)}; expected the abort reason, since the item exists`,
    );
  }
}

/** A read whose signal fires while it runs settles within `abortGraceMs`. */
export const abortInFlight: ContractCheck = {
  name: 'abort-in-flight',
  requires: 'cancellation',
  async run(probe) {
    const grace = probe.settings.abortGraceMs;
    const calls = await readCalls(probe);

    for (const [method, args] of calls) {
      const controller = new AbortController();
      const pending = probe.settle(method, args, controller.signal);
      controller.abort();
      const result = await settleWithin(pending, grace);
      if (result.timedOut) {
        fail(
          `${formatCall(method, args)} kept running for more than ${grace} ms after its signal fired; expected it to settle promptly, rejecting with the abort reason, ${SINCE_DECLARED}`,
        );
      }
    }

    return `${calls.length} read methods settle within ${grace} ms after their signal fires`;
  },
};
