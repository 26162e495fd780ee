/**
 * The shape of one contract check, and the schema assertions that several checks share.
 *
 * @module
 */
import type { z } from 'zod';
import { IntegrationSchema, resourceSchema } from '../schemas.js';
import { toFieldErrors } from '../validation.js';
import { deepEqual, differingKeys, quote } from './describe.js';
import { ContractViolation, type ProviderProbe, type ProviderRecord } from './probe.js';
import type { ProviderCheckName } from './types.js';

/** One contract check. */
export interface ContractCheck {
  name: ProviderCheckName;
  /** Capability that the check needs. A provider without it gets the check skipped. */
  requires?: 'mutable' | 'cancellation';
  /**
   * Runs the check on a fresh provider and returns a summary of what passed.
   *
   * @throws {ContractViolation} naming the call and the expected behaviour when the provider fails.
   * @throws {CheckSkipped} when the provider offers nothing to check.
   */
  run(probe: ProviderProbe): Promise<string>;
}

/** Throws a {@link ContractViolation} with the message. */
export function fail(message: string): never {
  throw new ContractViolation(message);
}

/** Lists the schema failures of a value as `path: message`, or nothing when it is valid. */
export function schemaProblems(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];

  return toFieldErrors(result.error.issues).map((error) => `\`${error.path}\`: ${error.message}`);
}

/**
 * Asserts that a value passes `IntegrationSchema` and carries the provider's id in `provider`.
 * `where` names the call that returned it.
 */
export function assertIntegration(
  value: ProviderRecord,
  probe: ProviderProbe,
  where: string,
): void {
  const problems = schemaProblems(IntegrationSchema, value);
  if (problems.length > 0) {
    fail(
      `${where} returned an integration that fails IntegrationSchema (${problems.join('; ')}); expected a valid integration`,
    );
  }
  if (value.provider !== probe.providerId) {
    fail(
      `${where} returned an integration whose \`provider\` is ${quote(value.provider)}; expected "${probe.providerId}", the provider's \`<providerType>:<slug>\` id`,
    );
  }
}

/**
 * Asserts that a value passes the schema of its resource kind and carries its parent's uuid in
 * `integration`. `where` names the call that returned it.
 */
export function assertResource(
  value: ProviderRecord,
  probe: ProviderProbe,
  where: string,
  integrationId: string,
): void {
  const type = typeof value.resource_type === 'string' ? value.resource_type : '';
  const problems = schemaProblems(resourceSchema(probe.kinds, type), value);
  if (problems.length > 0) {
    fail(
      `${where} returned a resource that fails the schema of its kind ${quote(type)} (${problems.join('; ')}); expected a valid resource`,
    );
  }
  if (value.integration !== integrationId) {
    fail(
      `${where} returned a resource whose \`integration\` is ${quote(value.integration)}; expected "${integrationId}", the uuid of its integration`,
    );
  }
}

/** Returns the `resource_id` of each resource, in order. */
export function resourceIds(resources: readonly ProviderRecord[]): string[] {
  return resources.map((resource) => String(resource.resource_id));
}

/**
 * Asserts that every field of a listed item has the same value in the item as read alone. A list
 * may leave fields out, such as a file's `content`, but not change them.
 */
export function assertSubset(
  listed: ProviderRecord,
  fetched: ProviderRecord,
  listCall: string,
  where: string,
): void {
  const differing = Object.keys(listed).filter(
    (key) => listed[key] !== undefined && !deepEqual(listed[key], fetched[key]),
  );
  if (differing.length === 0) return;

  const details = differing.map(
    (key) =>
      `\`${key}\` is ${quote(listed[key])} in ${listCall}, ${quote(fetched[key])} in ${where}`,
  );
  fail(
    `${details.join('; ')}; expected the same values (a list may leave out fields, such as a file's \`content\`, but not change them)`,
  );
}

/** Asserts that a stored item kept every field of the payload that created or updated it. */
export function assertFieldsKept(
  payload: ProviderRecord,
  stored: ProviderRecord,
  where: string,
  ignore: readonly string[] = [],
): void {
  const differing = Object.keys(payload).filter(
    (key) =>
      !ignore.includes(key) && payload[key] !== undefined && !deepEqual(payload[key], stored[key]),
  );
  if (differing.length === 0) return;

  const details = differing.map(
    (key) => `\`${key}\` is ${quote(stored[key])}, the payload had ${quote(payload[key])}`,
  );
  fail(
    `${where} returned an item whose ${details.join('; ')}; expected the values from the payload`,
  );
}

/** Asserts that a read returns what the write before it returned. */
export function assertSameAs(
  written: ProviderRecord,
  read: ProviderRecord,
  writeCall: string,
  readCall: string,
): void {
  const differing = differingKeys(written, read);
  if (differing.length === 0) return;

  const details = differing.map(
    (key) =>
      `\`${key}\` is ${quote(written[key])} from the write, ${quote(read[key])} from the read`,
  );
  fail(
    `${readCall} differs from what ${writeCall} returned: ${details.join('; ')}. Expected the read to return what the write stored`,
  );
}
