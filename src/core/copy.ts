/** Depth past which {@link copyData} hands the rest of a value to `structuredClone`. */
const MAX_COPY_DEPTH = 64;

/**
 * Deep-copies data with the result of `structuredClone`. Plain objects and arrays are copied key by
 * key, which for JSON-like data is several times faster than `structuredClone` on Node 20. Any
 * other object (a `Date`, a `Map`, a class instance), a function, and whatever lies deeper than 64
 * levels go to `structuredClone`, which also copes with cycles and throws on what it cannot copy.
 */
export function copyData<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol'
      ? structuredClone(value)
      : value;
  }
  if (depth >= MAX_COPY_DEPTH) return structuredClone(value);

  if (Array.isArray(value)) {
    return value.map((item) => copyData(item, depth + 1)) as T;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return structuredClone(value);

  const copy: Record<string, unknown> = {};
  // `for...in` with an own-key check visits what `Object.keys` lists, without building an array.
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = copyData((value as Record<string, unknown>)[key], depth + 1);
    // A plain assignment to `__proto__` would set the copy's prototype instead of a field.
    if (key === '__proto__') {
      Object.defineProperty(copy, key, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      copy[key] = item;
    }
  }

  return copy as T;
}

/**
 * Deep-freezes the plain objects and arrays of a value in place. Returns true when that made the
 * whole value immutable, and false when it contains something that freezing cannot protect: another
 * kind of object (a `Date`, a `Map`, a typed array), which keeps its own mutating methods and is
 * left as it is, or nesting deeper than 64 levels, such as a cycle.
 */
export function freezeData(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (depth >= MAX_COPY_DEPTH) return false;

  const prototype = Object.getPrototypeOf(value);
  const plain = Array.isArray(value) || prototype === Object.prototype || prototype === null;
  if (!plain) return false;

  let immutable = true;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (!freezeData((value as Record<string, unknown>)[key], depth + 1)) immutable = false;
  }
  Object.freeze(value);

  return immutable;
}
