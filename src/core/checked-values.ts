/**
 * Values that a provider of this library checked against the schemas and deep-froze when it
 * stored them, so that the context can pass them on without checking them again.
 *
 * @module
 */
import type { ResourceKinds } from './schemas.js';

/** Each checked value, with the resource kinds that it was checked with. */
const checkedValues = new WeakMap<object, ResourceKinds>();

/** Notes that `value` passed the schemas with `kinds` and is deep-frozen. */
export function markChecked(value: object, kinds: ResourceKinds): void {
  checkedValues.set(value, kinds);
}

/**
 * Tells whether `value` was marked as checked with exactly `kinds`, the resource kinds of the
 * provider that returned it. A provider with other kinds, such as a wrapper, gets its results
 * checked again.
 */
export function wasChecked(value: unknown, kinds: ResourceKinds | undefined): boolean {
  return (
    kinds !== undefined &&
    typeof value === 'object' &&
    value !== null &&
    checkedValues.get(value) === kinds
  );
}
