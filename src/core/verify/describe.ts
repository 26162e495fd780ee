/**
 * Value comparison and short descriptions of values, calls and errors for check messages.
 *
 * @module
 */
import { isIntegrationsError } from '../errors.js';

/** Maximum length of a value quoted in a check message. */
const MAX_QUOTED_LENGTH = 160;

/**
 * Compares two JSON-like values structurally. Objects compare by own enumerable keys, and a key
 * whose value is `undefined` counts as absent, as it does once the value is sent as JSON.
 */
export function deepEqual(left: unknown, right: unknown): boolean {
  if (Object.is(left, right)) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) {
    return false;
  }
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  if (Array.isArray(left) && Array.isArray(right)) {
    return (
      left.length === right.length && left.every((item, index) => deepEqual(item, right[index]))
    );
  }

  const leftRecord = left as Record<string, unknown>;
  const rightRecord = right as Record<string, unknown>;
  const keys = new Set([...definedKeys(leftRecord), ...definedKeys(rightRecord)]);
  for (const key of keys) {
    if (!deepEqual(leftRecord[key], rightRecord[key])) return false;
  }

  return true;
}

function definedKeys(record: Record<string, unknown>): string[] {
  return Object.keys(record).filter((key) => record[key] !== undefined);
}

/** Returns the keys whose values differ between two objects, `undefined` counting as absent. */
export function differingKeys(
  left: Record<string, unknown>,
  right: Record<string, unknown>,
  ignore: readonly string[] = [],
): string[] {
  const keys = new Set([...definedKeys(left), ...definedKeys(right)]);

  return [...keys].filter((key) => !ignore.includes(key) && !deepEqual(left[key], right[key]));
}

/** Quotes a value as JSON for a message, shortened to a readable length. */
export function quote(value: unknown): string {
  if (value === undefined) return 'undefined';

  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }

  return text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH - 1)}…` : text;
}

/** Formats a count with its noun, such as `1 integration` or `3 integrations`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Formats a call as `method(arg, arg)`, with each argument quoted. */
export function formatCall(method: string, args: readonly unknown[]): string {
  return `${method}(${args.map(quote).join(', ')})`;
}

/** Describes a thrown value by class, code and message, such as `IntegrationsError (code ...)`. */
export function describeError(error: unknown): string {
  if (isIntegrationsError(error)) {
    return `${error.name} (code "${error.code}"): ${error.message}`;
  }
  if (error instanceof Error) return `${error.name}: ${error.message}`;

  return `the non-error value ${quote(error)}`;
}
