/**
 * Waits for a promise for a bounded time, with the `setTimeout` that browsers, Node, Deno and
 * Workers all provide.
 *
 * @module
 */

/** The result of {@link settleWithin}: the value, or `timedOut` when the time ran out first. */
export type Deadline<T> = { timedOut: false; value: T } | { timedOut: true };

/**
 * Waits up to `ms` milliseconds for a promise. A rejection passes through. The promise itself keeps
 * running after a timeout, since nothing here can stop it.
 */
export async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<Deadline<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<Deadline<T>>((resolve) => {
    timer = setTimeout(() => resolve({ timedOut: true }), ms);
  });

  try {
    return await Promise.race([
      promise.then((value): Deadline<T> => ({ timedOut: false, value })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
