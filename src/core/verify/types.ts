/**
 * Names, options and report types of the provider contract checks.
 *
 * @module
 */
import type { IntegrationProvider, MaybePromise } from '../provider.js';

/** Names of the checks that run against every provider. */
export const READ_CHECK_NAMES = [
  'provider-identity',
  'integrations-valid',
  'list-get-agree',
  'integration-not-found',
  'resource-not-found',
  'resources-valid',
  'resource-type-filter',
  'returns-copies',
] as const;

/** Names of the checks that run only against mutable providers. */
export const WRITE_CHECK_NAMES = [
  'add-integration-round-trip',
  'add-resource-round-trip',
  'update-integration-round-trip',
  'update-resource-round-trip',
  'remove-integration',
  'remove-resource',
  'generated-ids-unique',
  'create-conflict',
  'write-not-found',
  'concurrent-writes',
  'unknown-fields-kept',
] as const;

/** Names of the checks that run only when a provider sets `supportsCancellation`. */
export const CANCELLATION_CHECK_NAMES = ['aborted-signal', 'abort-in-flight'] as const;

/** Every check name, in the order the checks run. */
export const PROVIDER_CHECK_NAMES = [
  ...READ_CHECK_NAMES,
  ...WRITE_CHECK_NAMES,
  ...CANCELLATION_CHECK_NAMES,
] as const;

/** The name of one provider contract check, such as `list-get-agree`. */
export type ProviderCheckName = (typeof PROVIDER_CHECK_NAMES)[number];

/** Builds a fresh provider. It is called once per check, so that checks do not share state. */
export type ProviderFactory<T extends IntegrationProvider = IntegrationProvider> =
  () => MaybePromise<T>;

/** Options of `verifyProvider`. */
export interface VerifyProviderOptions {
  /**
   * Checks to leave out, each with the reason, which the report lists. Use it for checks that do
   * not apply, such as `concurrent-writes` for a backend that cannot take parallel writes.
   *
   * @example `{ 'concurrent-writes': 'the upstream API rate-limits writes' }`
   */
  skip?: Partial<Record<ProviderCheckName, string>>;
  /**
   * An integration that the read checks inspect besides the ones that `listIntegrations` returns,
   * for providers that list nothing or list only part of their data.
   */
  sampleIntegrationId?: string;
  /**
   * Maximum number of listed integrations that a read check inspects, and of resources per
   * integration.
   * @default 20
   */
  maxItems?: number;
  /**
   * Number of parallel writes in `concurrent-writes` and of items in `generated-ids-unique`.
   * @default 20
   */
  concurrency?: number;
  /**
   * Maximum time in ms that one check may take. When it runs out, the check fails and the signal
   * passed to the provider fires.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Maximum time in ms that a call may keep running after its signal fired, in `abort-in-flight`.
   * @default 1000
   */
  abortGraceMs?: number;
  /** The `sessionId` passed to every provider call. @default 'verify-provider' */
  sessionId?: string;
}

/** Outcome of one check. */
export type ProviderCheckStatus = 'passed' | 'failed' | 'skipped';

/** The result of one check in a {@link ProviderContractReport}. */
export interface ProviderCheckResult {
  name: ProviderCheckName;
  status: ProviderCheckStatus;
  /**
   * Summary of what was checked when the check passed. When it failed, the method, the input and
   * the expected behaviour. When it was skipped, the reason.
   */
  message: string;
  /** Wall-clock time of the check in ms, including `createProvider()`. */
  durationMs: number;
}

/** What `verifyProvider` returns: one result per check, in the order the checks ran. */
export interface ProviderContractReport {
  /** The provider id `<providerType>:<slug>`, or `(unknown)` when no instance could be built. */
  providerId: string;
  /** Whether the provider implements every write method. */
  mutable: boolean;
  checks: ProviderCheckResult[];
  /** True when no check failed. Skipped checks do not count as failures. */
  passed: boolean;
  failures: ProviderCheckResult[];
  /** Throws a `ProviderContractError` that lists every failure, unless every check passed. */
  assert(): void;
  /** Formats every check on its own line, as `passed`, `FAILED` or `skipped`. */
  toString(): string;
}
