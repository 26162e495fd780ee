/**
 * {@link KeyedLock}: runs tasks one at a time per key, in the order they arrive.
 *
 * @module
 */

/**
 * A promise-chain lock keyed by a string. Tasks on the same key run one after another; tasks on
 * different keys run concurrently. A key's entry is removed when its last task settles, so the
 * map does not grow with the number of keys ever used.
 *
 * Note: it serializes tasks within one process only.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `task` once every earlier task on `key` has settled, and returns its result. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release = (): void => undefined;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.#tails.set(key, tail);

    try {
      await previous;

      return await task();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  /** Number of keys with a task running or waiting; for tests. */
  get size(): number {
    return this.#tails.size;
  }
}
