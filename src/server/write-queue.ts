/**
 * Queues of writes per integration, so that an `If-Match` check and the write it guards run with
 * no other write to the same integration in between, even when the provider awaits I/O.
 *
 * Note: the queues live in this process. Several processes that share one store still race, and
 * need a provider that checks versions itself.
 */
const queues = new WeakMap<object, Map<string, Promise<void>>>();

/** The stop state of a write's request, which stops when it times out or its client goes away. */
export interface StopSignal {
  /** Throws the reason of the stop, if the request has stopped or its client has gone away. */
  throwIfStopped(): void;
  /** Calls `listener` once when the request stops. */
  addStopListener(listener: () => void): void;
  removeStopListener(listener: () => void): void;
}

/**
 * Runs `work` after every earlier write to the same key of the same owner (a context) has settled
 * or stopped. A write whose request stops while it waits never starts, and a write whose request
 * stops while it runs lets the next one start, so a provider call that never settles delays later
 * writes by at most its own timeout.
 */
export async function runInWriteQueue<T>(
  owner: object,
  key: string,
  stop: StopSignal,
  work: () => Promise<T>,
): Promise<T> {
  let queue = queues.get(owner);
  if (queue === undefined) {
    queue = new Map();
    queues.set(owner, queue);
  }
  const previous = queue.get(key);
  let release = (): void => undefined;
  const finished = new Promise<void>((resolve) => {
    release = resolve;
  });
  // With no earlier write in the queue, this write is the whole chain.
  const tail = previous === undefined ? finished : previous.then(() => finished);
  queue.set(key, tail);
  stop.addStopListener(release);

  try {
    if (previous !== undefined) {
      await previous;
      // The client may have gone away while this write waited.
      stop.throwIfStopped();
    }

    return await work();
  } finally {
    release();
    stop.removeStopListener(release);
    // Drop the key once the whole chain up to this write has settled, unless a later write queued.
    if (tail === finished) {
      if (queue.get(key) === tail) queue.delete(key);
    } else {
      void tail.then(() => {
        if (queue.get(key) === tail) queue.delete(key);
      });
    }
  }
}
