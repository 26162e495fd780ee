import { IntegrationsError, isIntegrationsError, ProviderTimeoutError } from '../core/errors.js';
import type { CallOptions } from '../core/provider.js';
import type { StopSignal } from './write-queue.js';

/**
 * The provider calls of one request: their call options, their deadline and the stop that ends
 * them. It stops when `timeoutMs` passes, and when the client has gone away once a provider has
 * read the signal or a queued write checks. Then the signal that providers received fires and
 * {@link ProviderCall.run} stops waiting.
 *
 * Nothing is created before it is needed. Most provider calls never read their signal, and the
 * signal of a new AbortController cost about 1.6 µs on Node 20. Through @hono/node-server, reading
 * `request.signal` builds a whole Web Request, which cost R2 about a third of its requests per
 * second in the loopback benchmark. AbortSignal.any is avoided for the same reason: it measured
 * about 12 µs per call on Node 20.20.
 */
export class ProviderCall implements CallOptions, StopSignal {
  readonly sessionId: string;
  readonly #request: Request;
  readonly #timeoutMs: number;
  #controller: AbortController | undefined;
  #stopped: { reason: unknown } | undefined;
  #rejectResult: ((error: unknown) => void) | undefined;
  #stopListeners: (() => void)[] | undefined;
  #forwardAbort: (() => void) | undefined;

  constructor(request: Request, sessionId: string, timeoutMs: number) {
    this.#request = request;
    this.sessionId = sessionId;
    this.#timeoutMs = timeoutMs;
  }

  /** The signal that providers receive, created when a provider first reads it. */
  get signal(): AbortSignal {
    if (this.#controller !== undefined) return this.#controller.signal;

    this.#controller = new AbortController();
    if (this.#stopped !== undefined) this.#controller.abort(this.#stopped.reason);
    else this.#watchClient();

    return this.#controller.signal;
  }

  /** Runs `work` until it settles or the call stops, whichever comes first. */
  async run(work: () => Promise<Response>): Promise<Response> {
    // A static callback with `this` as its argument, so that no closure is created per request.
    const timer = setTimeout(ProviderCall.#timeOut, this.#timeoutMs, this);
    try {
      return await new Promise<Response>((resolve, reject) => {
        this.#rejectResult = reject;
        work().then(resolve, reject);
      });
    } finally {
      clearTimeout(timer);
      // The call may outlive the request, and `reject` would keep the response alive with it.
      // Behind @hono/node-server, clearing it halved the bytes that each scavenge promoted.
      this.#rejectResult = undefined;
      if (this.#forwardAbort !== undefined) {
        this.#request.signal.removeEventListener('abort', this.#forwardAbort);
      }
    }
  }

  throwIfStopped(): void {
    // This reads the client's signal once instead of listening to it. Through @hono/node-server a
    // listener would build the whole Web Request, and in a profile of R9 on Node 20 adding and
    // removing one cost about 1 µs per write.
    const clientSignal = this.#request.signal;
    if (clientSignal.aborted) this.#stop(clientSignal.reason);
    if (this.#stopped !== undefined) throw this.#stopped.reason;
  }

  addStopListener(listener: () => void): void {
    this.#stopListeners ??= [];
    this.#stopListeners.push(listener);
  }

  removeStopListener(listener: () => void): void {
    const index = this.#stopListeners?.indexOf(listener) ?? -1;
    if (index !== -1) this.#stopListeners!.splice(index, 1);
  }

  static #timeOut(this: void, call: ProviderCall): void {
    call.#stop(new ProviderTimeoutError(call.#timeoutMs));
  }

  #stop(reason: unknown): void {
    if (this.#stopped !== undefined) return;

    this.#stopped = { reason };
    this.#controller?.abort(reason);
    for (const listener of this.#stopListeners?.splice(0) ?? []) listener();
    this.#rejectResult?.(abortError(reason));
  }

  /** Stops the call when the client goes away, from now on. */
  #watchClient(): void {
    if (this.#forwardAbort !== undefined || this.#stopped !== undefined) return;

    const clientSignal = this.#request.signal;
    this.#forwardAbort = () => this.#stop(clientSignal.reason);
    if (clientSignal.aborted) this.#forwardAbort();
    else clientSignal.addEventListener('abort', this.#forwardAbort, { once: true });
  }
}

function abortError(reason: unknown): unknown {
  if (isIntegrationsError(reason)) return reason;

  return new IntegrationsError(499, 'request_aborted', 'The client closed the request');
}
