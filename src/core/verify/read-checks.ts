/**
 * Checks of a provider's identity, its integration listing and its not-found errors, which every
 * provider must pass.
 *
 * @module
 */
import { READ_METHODS, WRITE_METHODS } from '../provider.js';
import { generateId } from '../schemas.js';
import { assertIntegration, type ContractCheck, fail } from './check.js';
import { differingKeys, plural, quote } from './describe.js';
import { isRecord, type ProviderProbe } from './probe.js';
import { inspectIntegrations } from './targets.js';

/** Ids that no provider should know: a random one, and two that plain-object look-ups would find. */
function unknownIds(): string[] {
  return [`verify-missing-${generateId()}`, '__proto__', 'constructor'];
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function methodNames(probe: ProviderProbe, names: readonly string[]): string[] {
  const provider = probe.provider as unknown as Record<string, unknown>;

  return names.filter((name) => typeof provider[name] === 'function');
}

/** The provider names itself and has either all or none of the write methods. */
export const providerIdentity: ContractCheck = {
  name: 'provider-identity',
  async run(probe) {
    const { providerType, slug, displayName, supportsCancellation, resourceKinds } = probe.provider;
    const problems: string[] = [];

    if (!isNonEmptyString(providerType) || providerType.includes(':')) {
      problems.push(
        `\`providerType\` is ${quote(providerType)}; expected a non-empty string without ":"`,
      );
    }
    if (!isNonEmptyString(slug)) {
      problems.push(`\`slug\` is ${quote(slug)}; expected a non-empty string`);
    }
    if (typeof displayName !== 'string') {
      problems.push(`\`displayName\` is ${quote(displayName)}; expected a string`);
    }
    if (supportsCancellation !== undefined && typeof supportsCancellation !== 'boolean') {
      problems.push(
        `\`supportsCancellation\` is ${quote(supportsCancellation)}; expected a boolean`,
      );
    }
    if (resourceKinds !== undefined && !isRecord(resourceKinds)) {
      problems.push(`\`resourceKinds\` is ${quote(resourceKinds)}; expected an object of kinds`);
    }

    const reads = methodNames(probe, READ_METHODS);
    const missingReads = READ_METHODS.filter((name) => !reads.includes(name));
    if (missingReads.length > 0) {
      problems.push(
        `the read methods ${missingReads.join(', ')} are missing; every provider needs them`,
      );
    }
    const writes = methodNames(probe, WRITE_METHODS);
    if (writes.length > 0 && writes.length < WRITE_METHODS.length) {
      const missing = WRITE_METHODS.filter((name) => !writes.includes(name));
      problems.push(
        `the provider has ${writes.join(', ')} but lacks ${missing.join(', ')}, so the context treats it as read-only; implement all six write methods or none`,
      );
    }

    if (problems.length > 0) fail(`Provider "${probe.providerId}": ${problems.join('; ')}`);

    return `provider "${probe.providerId}" is ${probe.mutable ? 'mutable' : 'read-only'} and names itself`;
  },
};

/** Every listed integration passes the schema, carries the provider's id and has a unique uuid. */
export const integrationsValid: ContractCheck = {
  name: 'integrations-valid',
  async run(probe) {
    const listed = await probe.listIntegrations();
    const seen = new Set<unknown>();

    listed.forEach((integration, index) => {
      assertIntegration(integration, probe, `listIntegrations() at index ${index}`);
      if (seen.has(integration.uuid)) {
        fail(
          `listIntegrations() returned the uuid ${quote(integration.uuid)} twice; expected unique uuids, since the context keys integrations by uuid`,
        );
      }
      seen.add(integration.uuid);
    });

    return `listIntegrations() returned ${plural(listed.length, 'valid integration')} of "${probe.providerId}"`;
  },
};

/** `getIntegration` returns each listed integration with the same fields. */
export const listGetAgree: ContractCheck = {
  name: 'list-get-agree',
  async run(probe) {
    const targets = await inspectIntegrations(probe);

    for (const { id, listed } of targets) {
      const reason = listed
        ? 'the integration, since listIntegrations() returned it'
        : 'the integration named by `sampleIntegrationId`';
      const where = `getIntegration(${quote(id)})`;
      const fetched = await probe.getIntegration(id, reason);
      assertIntegration(fetched, probe, where);
      if (fetched.uuid !== id) {
        fail(`${where} returned the uuid ${quote(fetched.uuid)}; expected ${quote(id)}`);
      }
      if (listed === undefined) continue;

      const differing = differingKeys(listed, fetched, ['resources']);
      if (differing.length > 0) {
        const details = differing.map(
          (key) => `\`${key}\` is ${quote(listed[key])} in the list, ${quote(fetched[key])} here`,
        );
        fail(
          `listIntegrations() and ${where} disagree: ${details.join('; ')}. Expected the same values, since a list may leave out only \`resources\``,
        );
      }
      const listedResources = isRecord(listed.resources) ? Object.keys(listed.resources) : [];
      const fetchedResources = isRecord(fetched.resources) ? fetched.resources : {};
      const missing = listedResources.filter((key) => !Object.hasOwn(fetchedResources, key));
      if (missing.length > 0) {
        fail(
          `listIntegrations() lists the resources ${quote(missing)} of ${quote(id)} but ${where} lacks them; expected every listed resource`,
        );
      }
    }

    return `listIntegrations() and getIntegration() agree on ${plural(targets.length, 'integration')}`;
  },
};

/** Reads by an unknown integration id throw `IntegrationNotFoundError`. */
export const integrationNotFound: ContractCheck = {
  name: 'integration-not-found',
  async run(probe) {
    const ids = unknownIds();
    const reason = 'no integration has this id';
    const indexReason = `${reason}; the context refreshes its owner index only on this code`;

    for (const id of ids) {
      await probe.expectError('getIntegration', [id], 'integration_not_found', reason);
      await probe.expectError(
        'listResources',
        [id, undefined],
        'integration_not_found',
        indexReason,
      );
      await probe.expectError(
        'getResource',
        [id, 'verify-missing-resource'],
        'integration_not_found',
        indexReason,
      );
    }

    return `getIntegration, listResources and getResource throw IntegrationNotFoundError for ${quote(ids)}`;
  },
};

/** `getResource` by an unknown resource id throws `ResourceNotFoundError`. */
export const resourceNotFound: ContractCheck = {
  name: 'resource-not-found',
  async run(probe) {
    const [target] = await inspectIntegrations(probe);
    const integrationId = target!.id;
    const ids = unknownIds();

    for (const id of ids) {
      await probe.expectError(
        'getResource',
        [integrationId, id],
        'resource_not_found',
        `integration ${quote(integrationId)} has no resource with this id`,
      );
    }

    return `getResource(${quote(integrationId)}, id) throws ResourceNotFoundError for ${quote(ids)}`;
  },
};
