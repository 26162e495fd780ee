import {
  type CallOptions,
  InMemoryProvider,
  type InMemoryProviderOptions,
  type MutableIntegrationProvider,
  type ProviderMethod,
} from '../../../src/core/index.js';

type Behaviour = (...args: unknown[]) => unknown;

/**
 * A mutable provider that serves from an in-memory provider, except for the methods a test
 * scripts with {@link ScriptedProvider.script}. It counts every call and keeps the last signal.
 */
export class ScriptedProvider implements MutableIntegrationProvider {
  readonly providerType: string;
  readonly slug: string;
  readonly displayName: string;
  readonly calls: ProviderMethod[] = [];
  lastSignal: AbortSignal | undefined;
  readonly #memory: InMemoryProvider;
  readonly #scripts = new Map<ProviderMethod, Behaviour>();

  constructor(options: InMemoryProviderOptions) {
    this.#memory = new InMemoryProvider(options);
    this.providerType = this.#memory.providerType;
    this.slug = this.#memory.slug;
    this.displayName = this.#memory.displayName;
  }

  /** Replaces one method's behaviour until {@link ScriptedProvider.reset}. */
  script(method: ProviderMethod, behaviour: Behaviour): void {
    this.#scripts.set(method, behaviour);
  }

  /** Drops every scripted behaviour and the call log. */
  reset(): void {
    this.#scripts.clear();
    this.calls.length = 0;
    this.lastSignal = undefined;
  }

  listIntegrations(options: CallOptions) {
    return this.#run('listIntegrations', [options]);
  }

  getIntegration(integrationId: string, options: CallOptions) {
    return this.#run('getIntegration', [integrationId, options]);
  }

  listResources(integrationId: string, resourceType: string | undefined, options: CallOptions) {
    return this.#run('listResources', [integrationId, resourceType, options]);
  }

  getResource(integrationId: string, resourceId: string, options: CallOptions) {
    return this.#run('getResource', [integrationId, resourceId, options]);
  }

  addIntegration(...args: Parameters<InMemoryProvider['addIntegration']>) {
    return this.#run('addIntegration', args);
  }

  updateIntegration(...args: Parameters<InMemoryProvider['updateIntegration']>) {
    return this.#run('updateIntegration', args);
  }

  removeIntegration(integrationId: string, options: CallOptions) {
    return this.#run('removeIntegration', [integrationId, options]);
  }

  addResource(...args: Parameters<InMemoryProvider['addResource']>) {
    return this.#run('addResource', args);
  }

  updateResource(...args: Parameters<InMemoryProvider['updateResource']>) {
    return this.#run('updateResource', args);
  }

  removeResource(integrationId: string, resourceId: string, options: CallOptions) {
    return this.#run('removeResource', [integrationId, resourceId, options]);
  }

  // biome-ignore lint/suspicious/noExplicitAny: each method returns what its script returns.
  #run(method: ProviderMethod, args: unknown[]): any {
    this.calls.push(method);
    const options = args.at(-1) as CallOptions | undefined;
    this.lastSignal = options?.signal;
    const behaviour = this.#scripts.get(method);
    if (behaviour !== undefined) return behaviour(...args);

    return (this.#memory[method] as Behaviour).apply(this.#memory, args);
  }
}
