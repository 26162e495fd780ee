/**
 * Queues of writes per integration, so that an `If-Match` check and the write it guards run with
 * no other write to the same integration in between, even when the provider awaits I/O.
 *
 * Note: the queues live in this process. Several processes that share one store still race, and
 * need a provider that checks versions itself.
 */
const queues = new WeakMap<object, Map<string, Promise<void>>>();

/**
 * Runs `work` after every earlier write to the same key of the same owner (a context) has settled
 * or been aborted. A write whose `signal` fires while it waits never starts, and a write whose
 * signal fires while it runs lets the next one start, so a provider call that never settles
 * delays later writes by at most its own timeout.
 */
export async function runInWriteQueue<T>(
  owner: object,
  key: string,
  signal: AbortSignal,
  work: () => Promise<T>,
): Promise<T> {
  let queue = queues.get(owner);
  if (queue === undefined) {
    queue = new Map();
    queues.set(owner, queue);
  }
  const previous = queue.get(key) ?? Promise.resolve();
  let release = (): void => undefined;
  const finished = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => finished);
  queue.set(key, tail);
  signal.addEventListener('abort', release, { once: true });

  try {
    await previous;
    signal.throwIfAborted();

    return await work();
  } finally {
    release();
    signal.removeEventListener('abort', release);
    // Drop the key once the whole chain up to this write has settled, unless a later write queued.
    void tail.then(() => {
      if (queue.get(key) === tail) queue.delete(key);
    });
  }
}
