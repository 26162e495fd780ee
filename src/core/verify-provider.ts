/**
 * `verifyProvider`: the provider contract checks, for authors who test a provider in isolation,
 * without a server or a client, under any test runner or none.
 *
 * @module
 */
import { type IntegrationProvider, isMutableProvider, providerIdOf } from './provider.js';
import { abortedSignal, abortInFlight } from './verify/cancellation-checks.js';
import type { ContractCheck } from './verify/check.js';
import { concurrentWrites } from './verify/concurrency-checks.js';
import { returnsCopies } from './verify/copy-checks.js';
import { settleWithin } from './verify/deadline.js';
import { describeError, quote } from './verify/describe.js';
import {
  CheckSkipped,
  ContractViolation,
  isRecord,
  type ProbeSettings,
  ProviderProbe,
} from './verify/probe.js';
import {
  integrationNotFound,
  integrationsValid,
  listGetAgree,
  providerIdentity,
  resourceNotFound,
} from './verify/read-checks.js';
import { createReport } from './verify/report.js';
import { resourcesValid, resourceTypeFilter } from './verify/resource-checks.js';
import {
  PROVIDER_CHECK_NAMES,
  type ProviderCheckName,
  type ProviderCheckResult,
  type ProviderContractReport,
  type ProviderFactory,
  type VerifyProviderOptions,
} from './verify/types.js';
import {
  addIntegrationRoundTrip,
  addResourceRoundTrip,
  removeIntegration,
  removeResource,
  updateIntegrationRoundTrip,
  updateResourceRoundTrip,
} from './verify/write-checks.js';
import {
  createConflict,
  generatedIdsUnique,
  unknownFieldsKept,
  writeNotFound,
} from './verify/write-safety-checks.js';

/** Every check, in the order of `PROVIDER_CHECK_NAMES`. */
const CHECKS: readonly ContractCheck[] = [
  providerIdentity,
  integrationsValid,
  listGetAgree,
  integrationNotFound,
  resourceNotFound,
  resourcesValid,
  resourceTypeFilter,
  returnsCopies,
  addIntegrationRoundTrip,
  addResourceRoundTrip,
  updateIntegrationRoundTrip,
  updateResourceRoundTrip,
  removeIntegration,
  removeResource,
  generatedIdsUnique,
  createConflict,
  writeNotFound,
  concurrentWrites,
  unknownFieldsKept,
  abortedSignal,
  abortInFlight,
];

const DEFAULT_TIMEOUT_MS = 10_000;

type Outcome = Pick<ProviderCheckResult, 'status' | 'message'>;

/**
 * Runs the provider contract checks, each against a fresh provider from `createProvider()`, and
 * returns one result per check. Every provider gets the read checks. Mutable providers also get
 * the write checks, and providers that set `supportsCancellation` get the cancellation checks.
 * Checks run one after another, so a provider over shared storage needs no locking between them.
 *
 * A read-only provider is read through what `listIntegrations` returns and `sampleIntegrationId`.
 * When there is nothing to read, the checks that need data are skipped with the reason. A mutable
 * provider creates its own data.
 *
 * @throws {TypeError} when `createProvider` is not a function or `skip` names an unknown check.
 * @throws {RangeError} when a numeric option is not a positive number.
 *
 * @example
 * ```ts
 * const report = await verifyProvider(() => new InMemoryProvider({ slug: 'scratch' }));
 * report.assert(); // throws one error that lists every failed check
 * ```
 */
export async function verifyProvider<T extends IntegrationProvider>(
  createProvider: ProviderFactory<T>,
  options: VerifyProviderOptions = {},
): Promise<ProviderContractReport> {
  if (typeof createProvider !== 'function') {
    throw new TypeError('`createProvider` must be a function that returns a new provider');
  }
  const skip = readSkip(options.skip);
  const settings = readSettings(options);
  const timeoutMs = positive(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeoutMs');
  const results: ProviderCheckResult[] = [];
  let first: IntegrationProvider | undefined;

  for (const check of CHECKS) {
    const reason = skip.get(check.name);
    if (reason !== undefined) {
      results.push({ name: check.name, status: 'skipped', message: reason, durationMs: 0 });
      continue;
    }

    const started = Date.now();
    const outcome = await runCheck(check, createProvider, settings, timeoutMs, (provider) => {
      first ??= provider;
    });
    results.push({ name: check.name, ...outcome, durationMs: Date.now() - started });
  }

  const providerId = first === undefined ? '(unknown)' : providerIdOf(first);

  return createReport(providerId, first !== undefined && isMutableProvider(first), results);
}

/**
 * Runs {@link verifyProvider} and throws one error that lists every failed check, or returns the
 * report when none failed. Works under vitest, jest, node:test or a plain script.
 *
 * @throws {ProviderContractError} when any check fails.
 *
 * @example
 * ```ts
 * it('passes the provider contract', async () => {
 *   await assertProviderContract(() => new CsvCatalogProvider(csvText));
 * });
 * ```
 */
export async function assertProviderContract<T extends IntegrationProvider>(
  createProvider: ProviderFactory<T>,
  options: VerifyProviderOptions = {},
): Promise<ProviderContractReport> {
  const report = await verifyProvider(createProvider, options);
  report.assert();

  return report;
}

async function runCheck(
  check: ContractCheck,
  createProvider: ProviderFactory,
  settings: ProbeSettings,
  timeoutMs: number,
  onProvider: (provider: IntegrationProvider) => void,
): Promise<Outcome> {
  const controller = new AbortController();
  let probe: ProviderProbe | undefined;

  const work = async (): Promise<Outcome> => {
    let provider: unknown;
    try {
      provider = await createProvider();
    } catch (error) {
      return failed(`createProvider() threw ${describeError(error)}; expected a new provider`);
    }
    if (!isRecord(provider)) {
      return failed(`createProvider() returned ${quote(provider)}; expected a provider object`);
    }
    onProvider(provider as unknown as IntegrationProvider);
    probe = new ProviderProbe(
      provider as unknown as IntegrationProvider,
      settings,
      controller.signal,
    );
    const reason = notApplicable(check, probe);
    if (reason !== undefined) return { status: 'skipped', message: reason };

    try {
      return { status: 'passed', message: await check.run(probe) };
    } catch (error) {
      if (error instanceof ContractViolation) return failed(error.message);
      if (error instanceof CheckSkipped) return { status: 'skipped', message: error.message };

      return failed(
        `The check stopped with ${describeError(error)} after ${probe.lastCall ?? 'createProvider()'}; expected results that the check can read`,
      );
    }
  };

  const result = await settleWithin(work(), timeoutMs);
  if (!result.timedOut) return result.value;

  controller.abort(new Error(`The "${check.name}" check timed out after ${timeoutMs} ms`));

  return failed(
    `The check did not finish within ${timeoutMs} ms; the last call, ${probe?.lastCall ?? 'createProvider()'}, was still running, and its signal has now fired. Expected every call to settle, or raise \`timeoutMs\``,
  );
}

function failed(message: string): Outcome {
  return { status: 'failed', message };
}

function notApplicable(check: ContractCheck, probe: ProviderProbe): string | undefined {
  if (check.requires === 'mutable' && !probe.mutable) {
    return 'The provider is read-only, so write checks do not apply';
  }
  if (check.requires === 'cancellation' && probe.provider.supportsCancellation !== true) {
    return 'The provider does not set `supportsCancellation`, so cancellation checks do not apply';
  }

  return undefined;
}

function readSkip(skip: VerifyProviderOptions['skip']): Map<ProviderCheckName, string> {
  const reasons = new Map<ProviderCheckName, string>();
  for (const [name, reason] of Object.entries(skip ?? {})) {
    if (!(PROVIDER_CHECK_NAMES as readonly string[]).includes(name)) {
      throw new TypeError(
        `Unknown check "${name}" in \`skip\`; use one of ${PROVIDER_CHECK_NAMES.join(', ')}`,
      );
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new TypeError(`Skipping "${name}" needs a reason: give a non-empty string`);
    }
    reasons.set(name as ProviderCheckName, reason);
  }

  return reasons;
}

function readSettings(options: VerifyProviderOptions): ProbeSettings {
  return {
    maxItems: positiveInteger(options.maxItems ?? 20, 'maxItems'),
    concurrency: positiveInteger(options.concurrency ?? 20, 'concurrency'),
    abortGraceMs: positive(options.abortGraceMs ?? 1000, 'abortGraceMs'),
    sessionId: options.sessionId ?? 'verify-provider',
    sampleIntegrationId: options.sampleIntegrationId,
  };
}

function positive(value: number, name: string): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`\`${name}\` is ${quote(value)}; expected a positive number`);
  }

  return value;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(positive(value, name))) {
    throw new RangeError(`\`${name}\` is ${quote(value)}; expected a positive integer`);
  }

  return value;
}
