/**
 * The report of `verifyProvider` and {@link ProviderContractError}, which lists every failed check.
 *
 * @module
 */
import type { ProviderCheckResult, ProviderContractReport } from './types.js';

const STATUS_LABELS = { passed: 'passed ', failed: 'FAILED ', skipped: 'skipped' } as const;

/**
 * Thrown by `assertProviderContract` and `report.assert()` when a provider fails any contract
 * check. The message lists every failure on its own line, and `report` contains every result.
 */
export class ProviderContractError extends Error {
  override name = 'ProviderContractError';
  readonly report: ProviderContractReport;
  readonly failures: readonly ProviderCheckResult[];

  constructor(report: ProviderContractReport) {
    const skipped = report.checks.filter((check) => check.status === 'skipped').length;
    const lines = report.failures.map((failure) => `- ${failure.name}: ${failure.message}`);
    super(
      `Provider "${report.providerId}" failed ${report.failures.length} of ${report.checks.length} contract checks (${skipped} skipped):\n${lines.join('\n')}`,
    );
    this.report = report;
    this.failures = report.failures;
  }
}

/** Builds the report from the results of every check, in the order they ran. */
export function createReport(
  providerId: string,
  mutable: boolean,
  checks: ProviderCheckResult[],
): ProviderContractReport {
  const failures = checks.filter((check) => check.status === 'failed');
  const report: ProviderContractReport = {
    providerId,
    mutable,
    checks,
    passed: failures.length === 0,
    failures,
    assert() {
      if (failures.length > 0) throw new ProviderContractError(report);
    },
    toString() {
      const count = (status: ProviderCheckResult['status']) =>
        checks.filter((check) => check.status === status).length;
      const header = `Provider "${providerId}" (${mutable ? 'mutable' : 'read-only'}): ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`;
      const lines = checks.map(
        (check) => `  ${STATUS_LABELS[check.status]} ${check.name}: ${check.message}`,
      );

      return [header, ...lines].join('\n');
    },
  };

  return report;
}
