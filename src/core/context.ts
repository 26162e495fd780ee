/**
 * {@link IntegrationContext}: the providers of one session, seen as one flat map of integrations.
 *
 * @module
 */
import { wasChecked } from './checked-values.js';
import {
  BadRequestError,
  IntegrationExistsError,
  IntegrationNotFoundError,
  InvalidProviderResponseError,
  isIntegrationsError,
  ProviderNotFoundError,
  ProviderReadOnlyError,
  ResourceNotFoundError,
  ValidationError,
} from './errors.js';
import {
  type CallOptions,
  type IntegrationProvider,
  isMutableProvider,
  type MutableIntegrationProvider,
  providerIdOf,
  READ_METHODS,
  WRITE_METHODS,
} from './provider.js';
import {
  BUILT_IN_RESOURCE_KINDS,
  type Integration,
  IntegrationCreateSchema,
  IntegrationSchema,
  type IntegrationUpdate,
  IntegrationUpdateSchema,
  type ProviderInfo,
  type Resource,
  type ResourceKinds,
  resourceCreateSchema,
  resourceSchema,
  resourceUpdateSchema,
} from './schemas.js';
import {
  assertNoPrototypeKeys,
  assertSameIdentity,
  assertUsableId,
  parseOrThrow,
  toFieldErrors,
} from './validation.js';

/** Options of {@link IntegrationContext}. */
export interface IntegrationContextOptions {
  /** The providers, each with a distinct `<providerType>:<slug>` id. */
  providers: readonly IntegrationProvider[];
}

/** A call target of {@link IntegrationContext.call}. */
export type CallTarget = 'context' | `provider:${string}` | `integration:${string}`;

type Payload = Record<string, unknown>;

const CONTEXT_FUNCTIONS: ReadonlySet<string> = new Set([
  'listProviders',
  ...READ_METHODS,
  ...WRITE_METHODS,
]);
const INTEGRATION_FUNCTIONS: ReadonlySet<string> = new Set(
  [...READ_METHODS, ...WRITE_METHODS].filter(
    (name) => name !== 'listIntegrations' && name !== 'addIntegration',
  ),
);
const PROVIDER_FUNCTIONS: ReadonlySet<string> = new Set([...READ_METHODS, ...WRITE_METHODS]);

function isCode(error: unknown, code: string): boolean {
  return isIntegrationsError(error) && error.code === code;
}

function toCamelCase(name: string): string {
  return name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/**
 * Builds the options that providers receive. The signal is read from the caller's options, or
 * created when they have none, only once a provider reads it, because most provider calls never do
 * and creating an AbortSignal or reading a request's signal is not free. It is an own enumerable
 * getter, so a provider that spreads the options still gets it.
 */
function defaultCallOptions(options?: Partial<CallOptions>): CallOptions {
  let signal: AbortSignal | undefined;

  return {
    sessionId: options?.sessionId ?? '',
    get signal() {
      signal ??= options?.signal ?? new AbortController().signal;

      return signal;
    },
  };
}

/**
 * The providers of one session. It lists all their integrations as one map keyed by uuid and sends
 * every call by id to the provider that owns the integration.
 *
 * An index from uuid to provider makes a call by id cost one map look-up. The index is a cache:
 * when a provider no longer has an integration, or gained one behind the context's back, the
 * context looks the id up in the providers again, so it stays right when their data changes.
 *
 * Writes are validated here, whoever calls: payloads are parsed with the schemas (ids filled in,
 * identity fields checked), and what providers return is checked before it is passed on. The
 * exception is a frozen value that an `InMemoryProvider` checked with the same resource
 * kinds when it stored it: that value is passed on as it is, without a second check or a copy.
 *
 * @example
 * ```ts
 * const context = new IntegrationContext({
 *   providers: [new InMemoryProvider({ slug: 'scratch', displayName: 'Scratch' })],
 * });
 * const created = await context.addIntegration('memory:scratch', { name: 'Weather API' });
 * ```
 */
export class IntegrationContext {
  /** The providers, in the order given. */
  readonly providers: readonly IntegrationProvider[];
  readonly #providersById = new Map<string, IntegrationProvider>();
  readonly #owners = new Map<string, IntegrationProvider>();

  /** @throws {TypeError} when two providers share an id. */
  constructor(options: IntegrationContextOptions) {
    this.providers = [...options.providers];
    for (const provider of this.providers) {
      const id = providerIdOf(provider);
      if (this.#providersById.has(id)) {
        throw new TypeError(`Two providers share the id "${id}"; give each a distinct \`slug\``);
      }
      this.#providersById.set(id, provider);
    }
  }

  /** Describes every provider, so that a front end can offer "create on provider Y". */
  listProviders(): ProviderInfo[] {
    return this.providers.map((provider) => ({
      id: providerIdOf(provider),
      display_name: provider.displayName,
      provider_type: provider.providerType,
      slug: provider.slug,
      mutable: isMutableProvider(provider),
    }));
  }

  /**
   * Returns the provider with the id `<providerType>:<slug>`.
   *
   * @throws {ProviderNotFoundError} when no provider has the id.
   */
  getProvider(providerId: string): IntegrationProvider {
    const provider = this.#providersById.get(providerId);
    if (provider === undefined) {
      throw new ProviderNotFoundError(providerId, [...this.#providersById.keys()]);
    }

    return provider;
  }

  /**
   * Lists every provider's integrations as one object keyed by uuid, and refreshes the index.
   * When two providers return the same uuid, the first provider in the list wins.
   */
  async listIntegrations(options?: Partial<CallOptions>): Promise<Record<string, Integration>> {
    const callOptions = defaultCallOptions(options);
    const lists = await Promise.all(
      this.providers.map((provider) => provider.listIntegrations(callOptions)),
    );
    const integrations: Record<string, Integration> = Object.create(null);
    let listed = 0;

    lists.forEach((list, index) => {
      const provider = this.providers[index]!;
      if (!Array.isArray(list)) {
        throw new InvalidProviderResponseError(providerIdOf(provider), 'integration list', [
          { path: '(result)', message: 'Expected an array of integrations' },
        ]);
      }
      for (const integration of list) {
        checkListedIntegration(integration, provider);
        const { uuid } = integration;
        if (uuid in integrations) continue;
        integrations[uuid] = integration;
        listed++;
        // The index is updated in place: with 10,000 integrations, clearing and refilling it took
        // about three times as long as these look-ups.
        if (this.#owners.get(uuid) !== provider) this.#owners.set(uuid, provider);
      }
    });
    if (this.#owners.size !== listed) this.#dropUnlisted(integrations);

    return integrations;
  }

  /** @throws {IntegrationNotFoundError} */
  getIntegration(integrationId: string, options?: Partial<CallOptions>): Promise<Integration> {
    const callOptions = defaultCallOptions(options);

    return this.#withOwner(integrationId, callOptions, async (provider) =>
      checkIntegration(await provider.getIntegration(integrationId, callOptions), provider),
    );
  }

  /**
   * Lists an integration's resources; `resourceType` undefined lists every type.
   *
   * @throws {IntegrationNotFoundError}
   */
  listResources(
    integrationId: string,
    resourceType?: string,
    options?: Partial<CallOptions>,
  ): Promise<Resource[]> {
    const callOptions = defaultCallOptions(options);

    return this.#withOwner(integrationId, callOptions, async (provider) => {
      const resources = await provider.listResources(integrationId, resourceType, callOptions);
      if (!Array.isArray(resources)) {
        throw new InvalidProviderResponseError(providerIdOf(provider), 'resource list', [
          { path: '(result)', message: 'Expected an array of resources' },
        ]);
      }

      return resources.map((resource) => checkResource(resource, provider));
    });
  }

  /** @throws {IntegrationNotFoundError | ResourceNotFoundError} */
  getResource(
    integrationId: string,
    resourceId: string,
    options?: Partial<CallOptions>,
  ): Promise<Resource> {
    const callOptions = defaultCallOptions(options);

    return this.#withOwner(integrationId, callOptions, async (provider) => {
      const resource = await provider.getResource(integrationId, resourceId, callOptions);
      if (resource === undefined || resource === null) {
        throw new ResourceNotFoundError(integrationId, resourceId);
      }

      return checkResource(resource, provider);
    });
  }

  /**
   * Creates an integration on one provider. The payload is parsed first: `uuid` is generated when
   * absent, `slug` derived from the name, `datatype` defaults to `api`.
   *
   * @throws {ProviderNotFoundError | ProviderReadOnlyError | ValidationError | IntegrationExistsError}
   */
  async addIntegration(
    providerId: string,
    payload: unknown,
    options?: Partial<CallOptions>,
  ): Promise<Integration> {
    const callOptions = defaultCallOptions(options);
    const provider = mutable(this.getProvider(providerId));
    assertNoPrototypeKeys(payload);
    const parsed = parseOrThrow(IntegrationCreateSchema, payload, 'integration');
    assertSameIdentity(parsed, 'provider', providerId);
    assertUsableId(parsed.uuid, 'uuid');
    if (this.#owners.has(parsed.uuid)) throw new IntegrationExistsError(parsed.uuid);

    const { provider: _provider, resources, ...fields } = parsed;
    const create = { ...fields, uuid: parsed.uuid, slug: parsed.slug };
    if (resources !== undefined) {
      Object.assign(create, { resources: parseResourceMap(resources, parsed.uuid, provider) });
    }
    const created = checkIntegration(await provider.addIntegration(create, callOptions), provider);
    this.#owners.set(created.uuid, provider);

    return created;
  }

  /**
   * Changes the given fields of an integration. `uuid` and `provider` may be sent when they equal
   * the current values; `resources` is ignored, since resources change through their own routes.
   *
   * @throws {IntegrationNotFoundError | ProviderReadOnlyError | ValidationError}
   */
  updateIntegration(
    integrationId: string,
    payload: unknown,
    options?: Partial<CallOptions>,
  ): Promise<Integration> {
    const callOptions = defaultCallOptions(options);

    return this.#withOwner(integrationId, callOptions, async (owner) => {
      const provider = mutable(owner);
      assertNoPrototypeKeys(payload);
      const parsed = parseOrThrow(IntegrationUpdateSchema, payload, 'integration update');
      assertSameIdentity(parsed, 'uuid', integrationId);
      assertSameIdentity(parsed, 'provider', providerIdOf(provider));
      const { uuid: _uuid, provider: _provider, resources: _resources, ...fields } = parsed;
      const update: IntegrationUpdate = fields;
      const updated = await provider.updateIntegration(integrationId, update, callOptions);

      return checkIntegration(updated, provider);
    });
  }

  /** @throws {IntegrationNotFoundError | ProviderReadOnlyError} */
  removeIntegration(integrationId: string, options?: Partial<CallOptions>): Promise<void> {
    const callOptions = defaultCallOptions(options);

    return this.#withOwner(integrationId, callOptions, async (owner) => {
      await mutable(owner).removeIntegration(integrationId, callOptions);
      this.#owners.delete(integrationId);
    });
  }

  /**
   * Adds a resource to an integration. The payload's `resource_type` picks the schema; a
   * `resource_id` is generated when absent.
   *
   * @throws {IntegrationNotFoundError | ProviderReadOnlyError | ValidationError | ResourceExistsError}
   */
  addResource(
    integrationId: string,
    payload: unknown,
    options?: Partial<CallOptions>,
  ): Promise<Resource> {
    const callOptions = defaultCallOptions(options);

    return this.#withOwner(integrationId, callOptions, async (owner) => {
      const provider = mutable(owner);
      assertNoPrototypeKeys(payload);
      const create = parseResourceCreate(payload, integrationId, provider);
      const created = await provider.addResource(integrationId, create, callOptions);

      return checkResource(created, provider);
    });
  }

  /**
   * Changes the given fields of a resource. `resource_id`, `integration` and `resource_type` may be
   * sent when they equal the current values.
   *
   * @throws {IntegrationNotFoundError | ResourceNotFoundError | ProviderReadOnlyError | ValidationError}
   */
  updateResource(
    integrationId: string,
    resourceId: string,
    payload: unknown,
    options?: Partial<CallOptions>,
  ): Promise<Resource> {
    const callOptions = defaultCallOptions(options);

    return this.#withOwner(integrationId, callOptions, async (owner) => {
      const provider = mutable(owner);
      assertNoPrototypeKeys(payload);
      if (!isPlainObject(payload)) throw notAnObject('resource update');
      const current = await provider.getResource(integrationId, resourceId, callOptions);
      if (current === undefined || current === null) {
        throw new ResourceNotFoundError(integrationId, resourceId);
      }
      assertSameIdentity(payload, 'resource_id', resourceId);
      assertSameIdentity(payload, 'integration', integrationId);
      assertSameIdentity(payload, 'resource_type', current.resource_type);

      const schema = resourceUpdateSchema(kindsOf(provider), current.resource_type);
      const parsed = parseOrThrow(schema, payload, `${current.resource_type} resource update`);
      const {
        resource_id: _id,
        integration: _integration,
        resource_type: _type,
        ...fields
      } = parsed;
      const updated = await provider.updateResource(integrationId, resourceId, fields, callOptions);

      return checkResource(updated, provider);
    });
  }

  /** @throws {IntegrationNotFoundError | ResourceNotFoundError | ProviderReadOnlyError} */
  removeResource(
    integrationId: string,
    resourceId: string,
    options?: Partial<CallOptions>,
  ): Promise<void> {
    const callOptions = defaultCallOptions(options);

    return this.#withOwner(integrationId, callOptions, async (owner) => {
      await mutable(owner).removeResource(integrationId, resourceId, callOptions);
    });
  }

  /**
   * Calls a function on a member of the context, as Beaker's call-in-context RPC does. The target
   * is `context`, `provider:<type>:<slug>` or `integration:<uuid>`; the function is one of the
   * provider-interface methods (camelCase or snake_case), never an arbitrary property. For an
   * `integration:` target the uuid becomes the first argument.
   *
   * @throws {BadRequestError} `unknown_function` or `invalid_target` for a call that is not allowed.
   */
  async call(
    target: CallTarget | string,
    functionName: string,
    args: readonly unknown[] = [],
    options?: Partial<CallOptions>,
  ): Promise<unknown> {
    const name = toCamelCase(functionName);
    const callOptions = defaultCallOptions(options);

    if (target === 'context') {
      if (!CONTEXT_FUNCTIONS.has(name)) throw unknownFunction(functionName, target);
      const method = this[name as keyof this] as (...values: unknown[]) => unknown;

      return method.call(this, ...args, callOptions);
    }
    if (target.startsWith('integration:')) {
      if (!INTEGRATION_FUNCTIONS.has(name)) throw unknownFunction(functionName, target);
      const method = this[name as keyof this] as (...values: unknown[]) => unknown;

      return method.call(this, target.slice('integration:'.length), ...args, callOptions);
    }
    if (target.startsWith('provider:')) {
      if (!PROVIDER_FUNCTIONS.has(name)) throw unknownFunction(functionName, target);
      const providerId = target.slice('provider:'.length);
      if (name === 'addIntegration') return this.addIntegration(providerId, args[0], callOptions);

      const provider = this.getProvider(providerId);
      const owner = (WRITE_METHODS as readonly string[]).includes(name)
        ? mutable(provider)
        : provider;
      const method = owner[name as keyof IntegrationProvider] as (...values: unknown[]) => unknown;

      return method.call(owner, ...args, callOptions);
    }

    throw new BadRequestError(
      400,
      'invalid_target',
      `Call target "${target}" is not valid; use "context", "provider:<type>:<slug>" or "integration:<uuid>"`,
    );
  }

  /** Drops the index entries of integrations that no provider listed. */
  #dropUnlisted(listed: Record<string, Integration>): void {
    for (const uuid of this.#owners.keys()) {
      if (!(uuid in listed)) this.#owners.delete(uuid);
    }
  }

  /**
   * Runs `action` on the provider that owns an integration. A stale index entry (the provider
   * throws not found) is dropped and the providers are searched again, once.
   */
  async #withOwner<T>(
    integrationId: string,
    options: CallOptions,
    action: (provider: IntegrationProvider) => Promise<T>,
  ): Promise<T> {
    const cached = this.#owners.get(integrationId);
    if (cached !== undefined) {
      try {
        return await action(cached);
      } catch (error) {
        if (!isCode(error, 'integration_not_found')) throw error;
        this.#owners.delete(integrationId);
      }
    }

    const owner = await this.#findOwner(integrationId, options, cached);
    this.#owners.set(integrationId, owner);

    return action(owner);
  }

  async #findOwner(
    integrationId: string,
    options: CallOptions,
    skip: IntegrationProvider | undefined,
  ): Promise<IntegrationProvider> {
    for (const provider of this.providers) {
      if (provider === skip) continue;
      try {
        const found = await provider.getIntegration(integrationId, options);
        if (found !== undefined && found !== null) return provider;
      } catch (error) {
        if (!isCode(error, 'integration_not_found')) throw error;
      }
    }

    throw new IntegrationNotFoundError(integrationId);
  }
}

function mutable(provider: IntegrationProvider): MutableIntegrationProvider {
  if (!isMutableProvider(provider)) throw new ProviderReadOnlyError(providerIdOf(provider));

  return provider;
}

const mergedKinds = new WeakMap<ResourceKinds, ResourceKinds>();

/** Returns the built-in resource kinds plus the provider's own, the same object on every call. */
function kindsOf(provider: IntegrationProvider): ResourceKinds {
  const own = provider.resourceKinds;
  if (own === undefined) return BUILT_IN_RESOURCE_KINDS;

  let merged = mergedKinds.get(own);
  if (merged === undefined) {
    merged = { ...BUILT_IN_RESOURCE_KINDS, ...own };
    mergedKinds.set(own, merged);
  }

  return merged;
}

function isPlainObject(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function notAnObject(what: string): ValidationError {
  return new ValidationError(`Invalid ${what}: expected a JSON object`, [
    { path: '(body)', message: 'Expected an object' },
  ]);
}

function unknownFunction(functionName: string, target: string): BadRequestError {
  return new BadRequestError(
    400,
    'unknown_function',
    `Function "${functionName}" cannot be called on "${target}"; call a provider-interface method`,
  );
}

function parseResourceCreate(
  payload: unknown,
  integrationId: string,
  provider: IntegrationProvider,
  path = '',
): Payload & { resource_type: string; resource_id: string } {
  if (!isPlainObject(payload)) throw notAnObject('resource');
  const type = payload.resource_type;
  if (typeof type !== 'string' || type === '') {
    const field = path === '' ? 'resource_type' : `${path}.resource_type`;
    throw new ValidationError(`Missing field \`${field}\`: give the kind, such as "file"`, [
      { path: field, message: 'Required' },
    ]);
  }
  assertSameIdentity(payload, 'integration', integrationId);

  const schema = resourceCreateSchema(kindsOf(provider), type);
  const parsed = parseOrThrow(schema, payload, `${type} resource`, path);

  const resource = parsed as Payload & { resource_type: string; resource_id: string };
  assertUsableId(resource.resource_id, path === '' ? 'resource_id' : `${path}.resource_id`);

  return { ...resource, integration: integrationId };
}

function parseResourceMap(
  resources: Record<string, unknown>,
  integrationId: string,
  provider: IntegrationProvider,
): Record<string, Resource> {
  const parsed: Record<string, Resource> = {};
  for (const [key, value] of Object.entries(resources)) {
    const withId = isPlainObject(value) ? { resource_id: key, ...value } : value;
    const resource = parseResourceCreate(withId, integrationId, provider, `resources.${key}`);
    if (Object.hasOwn(parsed, resource.resource_id)) {
      // Two entries with one id would leave only the last one stored.
      const field = `resources.${key}.resource_id`;
      throw new ValidationError(
        `Invalid \`${field}\`: another resource in \`resources\` has the id "${resource.resource_id}"; give each a distinct id`,
        [{ path: field, message: 'Duplicate resource id' }],
      );
    }
    parsed[resource.resource_id] = resource as Resource;
  }

  return parsed;
}

/** A cheap structural check for listings, which can hold many thousands of integrations. */
function checkListedIntegration(
  integration: unknown,
  provider: IntegrationProvider,
): asserts integration is Integration {
  const candidate = integration as Partial<Integration> | null;
  const valid =
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.uuid === 'string' &&
    candidate.uuid !== '' &&
    typeof candidate.name === 'string' &&
    typeof candidate.provider === 'string';
  if (!valid) {
    throw new InvalidProviderResponseError(providerIdOf(provider), 'integration', [
      { path: '(item)', message: 'Expected an object with `uuid`, `name` and `provider`' },
    ]);
  }
}

function checkIntegration(integration: unknown, provider: IntegrationProvider): Integration {
  // A frozen value that the provider's own checks passed needs no second check, and no copy.
  if (wasChecked(integration, provider.resourceKinds)) return integration as Integration;

  const result = IntegrationSchema.safeParse(integration);
  if (!result.success) {
    throw new InvalidProviderResponseError(
      providerIdOf(provider),
      'integration',
      toFieldErrors(result.error.issues),
    );
  }

  return result.data;
}

function checkResource(resource: unknown, provider: IntegrationProvider): Resource {
  if (wasChecked(resource, provider.resourceKinds)) return resource as Resource;

  const type = (resource as Partial<Resource> | null)?.resource_type;
  const schema = resourceSchema(kindsOf(provider), typeof type === 'string' ? type : '');
  const result = schema.safeParse(resource);
  if (!result.success) {
    throw new InvalidProviderResponseError(
      providerIdOf(provider),
      'resource',
      toFieldErrors(result.error.issues),
    );
  }

  return result.data as Resource;
}
