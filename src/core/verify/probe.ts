/**
 * {@link ProviderProbe}: calls provider methods on behalf of a check and turns unexpected outcomes
 * into {@link ContractViolation}s whose messages name the call and the expected behaviour.
 *
 * @module
 */
import { isIntegrationsError } from '../errors.js';
import {
  type CallOptions,
  type IntegrationProvider,
  isMutableProvider,
  type ProviderMethod,
  providerIdOf,
} from '../provider.js';
import { BUILT_IN_RESOURCE_KINDS, type ResourceKinds } from '../schemas.js';
import { describeError, formatCall, quote } from './describe.js';

/** A failed expectation, whose message becomes the message of the failed check. */
export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

/** Thrown by a check that cannot run, with the reason that the report lists as its message. */
export class CheckSkipped extends Error {
  override name = 'CheckSkipped';
}

/** An object returned by a provider, before any check of its fields. */
export type ProviderRecord = Record<string, unknown>;

/** The outcome of one provider call, labelled with the call as `method(args)`. */
export type CallOutcome =
  | { label: string; ok: true; value: unknown }
  | { label: string; ok: false; error: unknown };

/** The error codes that checks expect from providers, with the error class that carries each. */
const EXPECTED_ERRORS = {
  integration_not_found: 'IntegrationNotFoundError',
  resource_not_found: 'ResourceNotFoundError',
  integration_exists: 'IntegrationExistsError',
  resource_exists: 'ResourceExistsError',
} as const;

/** An error code that a provider must throw in some case, such as `integration_not_found`. */
export type ExpectedErrorCode = keyof typeof EXPECTED_ERRORS;

/** Resolved options that the checks read. */
export interface ProbeSettings {
  maxItems: number;
  concurrency: number;
  abortGraceMs: number;
  sessionId: string;
  sampleIntegrationId: string | undefined;
}

type AnyMethod = (...args: unknown[]) => unknown;

/** Describes the error that a code calls for, such as `IntegrationNotFoundError (code "...")`. */
export function describeExpectedError(code: ExpectedErrorCode): string {
  return `${EXPECTED_ERRORS[code]} (code "${code}")`;
}

/** Calls the methods of one provider instance for one check. */
export class ProviderProbe {
  readonly provider: IntegrationProvider;
  readonly providerId: string;
  readonly settings: ProbeSettings;
  /** The built-in resource kinds merged with the provider's own, as the context merges them. */
  readonly kinds: ResourceKinds;
  /** The call in progress or made last, quoted when a check times out. */
  lastCall: string | undefined;
  readonly #signal: AbortSignal;

  constructor(provider: IntegrationProvider, settings: ProbeSettings, signal: AbortSignal) {
    this.provider = provider;
    this.providerId = providerIdOf(provider);
    this.settings = settings;
    this.kinds = { ...BUILT_IN_RESOURCE_KINDS, ...provider.resourceKinds };
    this.#signal = signal;
  }

  /** Whether the provider implements every write method. */
  get mutable(): boolean {
    return isMutableProvider(this.provider);
  }

  /** Builds the last argument of a provider call, with the check's own signal unless given one. */
  callOptions(signal: AbortSignal = this.#signal): CallOptions {
    return { signal, sessionId: this.settings.sessionId };
  }

  /**
   * Calls a provider method and returns its outcome without judging it. A synchronous throw counts
   * as a rejection, as it does behind the handler.
   */
  async settle(
    method: ProviderMethod,
    args: readonly unknown[],
    signal?: AbortSignal,
  ): Promise<CallOutcome> {
    const label = formatCall(method, args);
    this.lastCall = label;
    const candidate = (this.provider as unknown as Record<string, unknown>)[method];
    if (typeof candidate !== 'function') {
      throw new ContractViolation(`${label} failed: the provider has no method \`${method}\``);
    }

    try {
      const value = await (candidate as AnyMethod).call(
        this.provider,
        ...args,
        this.callOptions(signal),
      );

      return { label, ok: true, value };
    } catch (error) {
      return { label, ok: false, error };
    }
  }

  /** Calls a method that must succeed and returns its result. */
  async expectValue(
    method: ProviderMethod,
    args: readonly unknown[],
    expected: string,
  ): Promise<unknown> {
    const outcome = await this.settle(method, args);
    if (!outcome.ok) {
      throw new ContractViolation(
        `${outcome.label} threw ${describeError(outcome.error)}; expected ${expected}`,
      );
    }

    return outcome.value;
  }

  /** Calls a method that must return an object, such as an integration or a resource. */
  async expectObject(
    method: ProviderMethod,
    args: readonly unknown[],
    expected: string,
  ): Promise<ProviderRecord> {
    const value = await this.expectValue(method, args, expected);
    if (!isRecord(value)) {
      throw new ContractViolation(
        `${formatCall(method, args)} returned ${quote(value)}; expected ${expected}`,
      );
    }

    return value;
  }

  /** Calls a method that must return an array of objects. */
  async expectArray(
    method: ProviderMethod,
    args: readonly unknown[],
    expected: string,
  ): Promise<ProviderRecord[]> {
    const value = await this.expectValue(method, args, expected);
    if (!Array.isArray(value) || !value.every(isRecord)) {
      throw new ContractViolation(
        `${formatCall(method, args)} returned ${quote(value)}; expected ${expected}`,
      );
    }

    return value;
  }

  /**
   * Calls a method that must reject with an error of this library that has the code, or any error
   * that `isIntegrationsError` accepts with that code. `reason` explains the expectation in the message.
   */
  async expectError(
    method: ProviderMethod,
    args: readonly unknown[],
    code: ExpectedErrorCode,
    reason: string,
  ): Promise<void> {
    const outcome = await this.settle(method, args);
    const expected = `a rejection with ${describeExpectedError(code)} because ${reason}`;
    if (outcome.ok) {
      throw new ContractViolation(
        `${outcome.label} resolved to ${quote(outcome.value)}; expected ${expected}`,
      );
    }
    if (isIntegrationsError(outcome.error) && outcome.error.code === code) return;

    const consequence = isIntegrationsError(outcome.error)
      ? ''
      : '. The handler answers any other error with 500 `provider_error`';
    throw new ContractViolation(
      `${outcome.label} threw ${describeError(outcome.error)}; expected ${expected}${consequence}`,
    );
  }

  /** Lists every integration. */
  listIntegrations(): Promise<ProviderRecord[]> {
    return this.expectArray('listIntegrations', [], 'an array of integrations');
  }

  /** Reads one integration that must exist. */
  getIntegration(integrationId: string, expected: string): Promise<ProviderRecord> {
    return this.expectObject('getIntegration', [integrationId], expected);
  }

  /** Lists the resources of an integration that must exist. */
  listResources(integrationId: string, resourceType?: string): Promise<ProviderRecord[]> {
    return this.expectArray(
      'listResources',
      [integrationId, resourceType],
      'an array of resources',
    );
  }

  /** Reads one resource that must exist. */
  getResource(
    integrationId: string,
    resourceId: string,
    expected: string,
  ): Promise<ProviderRecord> {
    return this.expectObject('getResource', [integrationId, resourceId], expected);
  }

  /** Creates an integration from a copy of a parsed payload. */
  addIntegration(payload: ProviderRecord): Promise<ProviderRecord> {
    return this.expectObject(
      'addIntegration',
      [structuredClone(payload)],
      'the integration as stored',
    );
  }

  /** Creates a resource from a copy of a parsed payload. */
  addResource(integrationId: string, payload: ProviderRecord): Promise<ProviderRecord> {
    return this.expectObject(
      'addResource',
      [integrationId, structuredClone(payload)],
      'the resource as stored',
    );
  }

  /** Updates an integration from a copy of a parsed payload. */
  updateIntegration(integrationId: string, payload: ProviderRecord): Promise<ProviderRecord> {
    return this.expectObject(
      'updateIntegration',
      [integrationId, structuredClone(payload)],
      'the updated integration',
    );
  }

  /** Updates a resource from a copy of a parsed payload. */
  updateResource(
    integrationId: string,
    resourceId: string,
    payload: ProviderRecord,
  ): Promise<ProviderRecord> {
    return this.expectObject(
      'updateResource',
      [integrationId, resourceId, structuredClone(payload)],
      'the updated resource',
    );
  }

  /** Removes an integration that must exist. */
  async removeIntegration(integrationId: string): Promise<void> {
    await this.expectValue('removeIntegration', [integrationId], 'the integration to be removed');
  }

  /** Removes a resource that must exist. */
  async removeResource(integrationId: string, resourceId: string): Promise<void> {
    await this.expectValue(
      'removeResource',
      [integrationId, resourceId],
      'the resource to be removed',
    );
  }
}

/** Tells whether a value is a non-null object that is not an array. */
export function isRecord(value: unknown): value is ProviderRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
