import type { z } from 'zod';
import { type FieldError, ValidationError } from './errors.js';

/** Keys that would reach an object's prototype if a careless copy assigned them. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__']);

/** Turns a dotted-path list of zod issues into field errors. */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldError[] {
  return issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.');

    return { path: path === '' ? '(body)' : path, message: issue.message };
  });
}

/**
 * Parses a value with a schema, or throws a {@link ValidationError} that lists every failing field.
 */
export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;

  const errors = toFieldErrors(result.error.issues);
  const fields = [...new Set(errors.map((error) => `\`${error.path}\``))].join(', ');

  throw new ValidationError(`Invalid ${what}: check ${fields}`, errors);
}

/**
 * Rejects `__proto__` keys anywhere in a value from the wire, so that no later copy can change an
 * object's prototype with it.
 *
 * @throws {ValidationError} naming the path of the first such key.
 */
export function assertNoPrototypeKeys(value: unknown): void {
  // An explicit stack, because a deeply nested body would overflow the call stack.
  const pending: Array<[unknown, string]> = [[value, '']];

  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const [node, path] = item;
    if (typeof node !== 'object' || node === null) continue;

    for (const key of Object.keys(node)) {
      const keyPath = path === '' ? key : `${path}.${key}`;
      if (PROTOTYPE_KEYS.has(key)) {
        throw new ValidationError(`Invalid field name \`${keyPath}\`: rename or remove it`, [
          { path: keyPath, message: 'This field name is reserved' },
        ]);
      }
      pending.push([(node as Record<string, unknown>)[key], keyPath]);
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
  else return;

  throw new ValidationError(`Invalid \`${field}\` "${value}": ${reason}; choose another id`, [
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
