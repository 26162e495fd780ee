import type { z } from 'zod';
import { type FieldError, ValidationError } from './errors.js';

/** Keys that would reach an object's prototype if a careless copy assigned them. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__']);

/** Deepest nesting of objects and arrays accepted in a payload, counting the payload itself. */
export const MAX_NESTING_DEPTH = 64;

/** Maximum length of an id in UTF-8 bytes; a longer one could not be sent back in a request path. */
export const MAX_ID_BYTES = 512;

const encoder = new TextEncoder();

/** Turns a dotted-path list of zod issues into field errors. */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldError[] {
  return issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.');

    return { path: path === '' ? '(body)' : path, message: issue.message };
  });
}

/** Returns "Required" for a missing field, where zod's message reports an undefined input. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return `Required: expected ${issue.expected}`;
  }

  return undefined;
}

/**
 * Parses a value with a schema, or throws a {@link ValidationError} that lists every failing field.
 * `prefix` is put before each field path, for a value nested in a larger payload.
 */
export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
  prefix = '',
): z.output<T> {
  const result = schema.safeParse(value, { error: describeIssue });
  if (result.success) return result.data;

  const errors = toFieldErrors(result.error.issues, prefix);
  const fields = errors.map((error) => `\`${error.path}\` (${error.message})`).join(', ');

  throw new ValidationError(`Invalid ${what}: fix ${fields}`, errors);
}

/**
 * Rejects `__proto__` keys anywhere in a value from the wire, so that no later copy can change an
 * object's prototype with it, and nesting deeper than {@link MAX_NESTING_DEPTH}, which copies,
 * YAML writers and readers would fail on after the value was accepted.
 *
 * @throws {ValidationError} naming the path of the first such key or of the too-deep value.
 */
export function assertNoPrototypeKeys(value: unknown): void {
  // An explicit stack, because a deeply nested body would overflow the call stack.
  const pending: Array<[unknown, string, number]> = [[value, '', 1]];

  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const [node, path, depth] = item;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > MAX_NESTING_DEPTH) {
      throw new ValidationError(
        `Invalid field \`${path}\`: values may nest at most ${MAX_NESTING_DEPTH} levels deep; flatten it or store it as a string`,
        [{ path, message: `Nested deeper than ${MAX_NESTING_DEPTH} levels` }],
      );
    }

    for (const key of Object.keys(node)) {
      const keyPath = path === '' ? key : `${path}.${key}`;
      if (PROTOTYPE_KEYS.has(key)) {
        throw new ValidationError(`Invalid field name \`${keyPath}\`: rename or remove it`, [
          { path: keyPath, message: 'This field name is reserved' },
        ]);
      }
      pending.push([(node as Record<string, unknown>)[key], keyPath, depth + 1]);
    }
  }
}

/** Ids that WHATWG URL parsing takes for dot segments and removes from a path, also as `%2e`. */
const DOT_SEGMENTS: ReadonlySet<string> = new Set(['.', '..']);

/**
 * Rejects a new id that the API could not serve safely. `__proto__` becomes an object key in
 * responses (an integration's `uuid` in the listing, a `resource_id` in `resources`), where a
 * careless reader would set a prototype with it and zod drops the entry. `.` and `..` cannot be
 * sent as a path segment: URL parsing removes them, so a request for resource `..` would reach
 * its integration instead.
 *
 * @throws {ValidationError} naming the field.
 */
export function assertUsableId(value: string, field: string): void {
  let reason: string;
  if (PROTOTYPE_KEYS.has(value)) reason = 'as an object key it would set a prototype';
  else if (DOT_SEGMENTS.has(value)) reason = 'URL parsing removes it from a request path';
  else if (encoder.encode(value).byteLength > MAX_ID_BYTES) {
    reason = `it is longer than ${MAX_ID_BYTES} UTF-8 bytes, the limit of ids in request paths`;
  } else return;

  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  throw new ValidationError(`Invalid \`${field}\` "${shown}": ${reason}; choose another id`, [
    { path: field, message: `Reserved id: ${reason}` },
  ]);
}

/** Throws a {@link ValidationError} for an identity field whose value differs from the current one. */
export function assertSameIdentity(
  payload: Record<string, unknown>,
  field: string,
  current: string,
): void {
  const given = payload[field];
  if (given === undefined || given === current) return;

  throw new ValidationError(
    `Field \`${field}\` cannot change: it is ${JSON.stringify(current)}, the body sent ${JSON.stringify(given)}`,
    [{ path: field, message: `Expected ${JSON.stringify(current)} or no value` }],
  );
}
