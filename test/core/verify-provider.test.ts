import { describe, expect, it } from 'vitest';
import {
  assertProviderContract,
  InMemoryProvider,
  type IntegrationProvider,
  PROVIDER_CHECK_NAMES,
  type ProviderCheckName,
  ProviderContractError,
  type ProviderContractReport,
  type VerifyProviderOptions,
  verifyProvider,
} from '../../src/core/index.js';
import {
  CancellableProvider,
  ChecksSignalOnceProvider,
  ColonInTypeProvider,
  ContentKeyedProvider,
  DropsContentProvider,
  DropsCreateResourcesProvider,
  ForeignIdProvider,
  ForwardingProvider,
  GenericErrorProvider,
  HalfWritableProvider,
  IdempotentRemoveProvider,
  IgnoresSignalProvider,
  ImplicitParentProvider,
  KeepsAddedResourceProvider,
  LostUpdateProvider,
  NoOpRemoveProvider,
  OverwritingCreateProvider,
  PlainObjectLookupProvider,
  ReadOnlyProvider,
  RenamingReadProvider,
  ReplacingResourceUpdateProvider,
  ReplacingUpdateProvider,
  SharedObjectProvider,
  StrictFieldsProvider,
  sleep,
  UndefinedResourceProvider,
  UnfilteredProvider,
  WrongParentProvider,
} from './contract-providers.js';

const CANCELLATION_CHECKS: ProviderCheckName[] = ['aborted-signal', 'abort-in-flight'];

/** Skips every check except the given ones, so a slow provider runs only what it is built for. */
function onlyChecks(names: readonly ProviderCheckName[]): VerifyProviderOptions['skip'] {
  const skip: Partial<Record<ProviderCheckName, string>> = {};
  for (const name of PROVIDER_CHECK_NAMES) {
    if (!names.includes(name)) skip[name] = 'not under test here';
  }

  return skip;
}

function resultOf(report: ProviderContractReport, name: ProviderCheckName) {
  const result = report.checks.find((check) => check.name === name);
  if (result === undefined) throw new Error(`The report has no check "${name}"`);

  return result;
}

function statuses(report: ProviderContractReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((check) => [check.name, check.status]));
}

describe('verifyProvider', () => {
  it('passes InMemoryProvider without seed data', async () => {
    const report = await verifyProvider(() => new InMemoryProvider({ slug: 'scratch' }));

    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.providerId).toBe('memory:scratch');
    expect(report.mutable).toBe(true);
    expect(report.checks.map((check) => check.name)).toEqual([...PROVIDER_CHECK_NAMES]);
    expect(resultOf(report, 'aborted-signal')).toMatchObject({
      status: 'skipped',
      message:
        'The provider does not set `supportsCancellation`, so cancellation checks do not apply',
    });
  });

  it('passes InMemoryProvider with seed data and an async factory', async () => {
    const report = await verifyProvider(async () => new ForwardingProvider().inner);

    expect(report.failures).toEqual([]);
    expect(resultOf(report, 'list-get-agree').message).toBe(
      'listIntegrations() and getIntegration() agree on 2 integrations',
    );
    expect(resultOf(report, 'resources-valid').message).toBe(
      '2 resources in 1 integration are valid and agree across listResources, getIntegration and getResource',
    );
  });

  it('passes a read-only provider and skips the write checks', async () => {
    const report = await verifyProvider(() => new ReadOnlyProvider());

    expect(report.failures).toEqual([]);
    expect(report.mutable).toBe(false);
    expect(resultOf(report, 'add-integration-round-trip')).toMatchObject({
      status: 'skipped',
      message: 'The provider is read-only, so write checks do not apply',
    });
    expect(resultOf(report, 'resource-type-filter')).toMatchObject({
      status: 'passed',
      message: 'listResources with the types ["file","example"] agrees with the unfiltered list',
    });
  });

  it('skips data checks of an empty read-only provider with the reason', async () => {
    const report = await verifyProvider(() => new ReadOnlyProvider({ integrations: [] }));

    expect(report.failures).toEqual([]);
    expect(resultOf(report, 'integration-not-found').status).toBe('passed');
    for (const name of ['list-get-agree', 'resource-not-found', 'resources-valid'] as const) {
      expect(resultOf(report, name)).toMatchObject({
        status: 'skipped',
        message:
          'listIntegrations() returned no integrations and `sampleIntegrationId` is not set; seed the provider or set the option',
      });
    }
  });

  it('reads `sampleIntegrationId` when the provider lists nothing', async () => {
    class UnlistedProvider extends ReadOnlyProvider {
      override listIntegrations() {
        return [];
      }
    }
    const report = await verifyProvider(() => new UnlistedProvider(), {
      sampleIntegrationId: 'weather',
    });

    expect(report.failures).toEqual([]);
    expect(resultOf(report, 'list-get-agree')).toMatchObject({
      status: 'passed',
      message: 'listIntegrations() and getIntegration() agree on 1 integration',
    });
    expect(resultOf(report, 'resources-valid').status).toBe('passed');
  });

  it('skips a resource check when no integration has resources', async () => {
    const report = await verifyProvider(
      () => new ReadOnlyProvider({ integrations: [{ uuid: 'bare', name: 'Bare' }] }),
    );

    expect(resultOf(report, 'resources-valid')).toMatchObject({
      status: 'skipped',
      message:
        'No inspected integration has resources (inspected 1); seed one or set `sampleIntegrationId`',
    });
    expect(resultOf(report, 'returns-copies').status).toBe('passed');
  });

  it('builds a fresh provider for every check that runs', async () => {
    let created = 0;
    const report = await verifyProvider(
      () => {
        created += 1;

        return new InMemoryProvider({ slug: 'counted' });
      },
      { skip: { 'concurrent-writes': 'counted elsewhere' } },
    );

    expect(created).toBe(PROVIDER_CHECK_NAMES.length - 1);
    expect(resultOf(report, 'concurrent-writes')).toMatchObject({
      status: 'skipped',
      message: 'counted elsewhere',
      durationMs: 0,
    });
  });

  it('passes the cancellation checks for a provider that honours its signal', async () => {
    const report = await verifyProvider(() => new CancellableProvider({ readLatencyMs: 100 }), {
      skip: onlyChecks(CANCELLATION_CHECKS),
      abortGraceMs: 50,
    });

    expect(statuses(report)).toMatchObject({
      'aborted-signal': 'passed',
      'abort-in-flight': 'passed',
    });
    expect(resultOf(report, 'aborted-signal').message).toBe(
      '4 read methods, addIntegration and addResource reject when the signal has already fired',
    );
  });

  it('passes every check for a cancellable provider without latency', async () => {
    const report = await verifyProvider(() => new CancellableProvider());

    expect(report.failures).toEqual([]);
    expect(report.checks.filter((check) => check.status === 'skipped')).toEqual([]);
  });
});

interface BrokenCase {
  check: ProviderCheckName;
  defect: string;
  create: () => IntegrationProvider;
  message: string | RegExp;
  options?: VerifyProviderOptions;
}

const brokenCases: BrokenCase[] = [
  {
    check: 'provider-identity',
    defect: 'a colon in `providerType`',
    create: () => new ColonInTypeProvider(),
    message:
      'Provider "memory:v2:contract": `providerType` is "memory:v2"; expected a non-empty string without ":"',
  },
  {
    check: 'provider-identity',
    defect: 'only some write methods',
    create: () => new HalfWritableProvider(),
    message:
      'Provider "memory:contract": the provider has addIntegration but lacks updateIntegration, removeIntegration, addResource, updateResource, removeResource, so the context treats it as read-only; implement all six write methods or none',
  },
  {
    check: 'integrations-valid',
    defect: "another provider's id on integrations",
    create: () => new ForeignIdProvider(),
    message:
      'listIntegrations() at index 0 returned an integration whose `provider` is "memory:other"; expected "memory:contract", the provider\'s `<providerType>:<slug>` id',
  },
  {
    check: 'list-get-agree',
    defect: 'a different name from getIntegration',
    create: () => new RenamingReadProvider(),
    message:
      'listIntegrations() and getIntegration("weather") disagree: `name` is "Weather API" in the list, "Weather API (detail)" here. Expected the same values, since a list may leave out only `resources`',
  },
  {
    check: 'integration-not-found',
    defect: 'a plain Error for an unknown id',
    create: () => new GenericErrorProvider(),
    message:
      /^getIntegration\("verify-missing-[0-9a-f-]{36}"\) threw Error: No integration verify-missing-[0-9a-f-]{36}; expected a rejection with IntegrationNotFoundError \(code "integration_not_found"\) because no integration has this id\. The handler answers any other error with 500 `provider_error`$/,
  },
  {
    check: 'integration-not-found',
    defect: 'look-ups in a plain object',
    create: () => new PlainObjectLookupProvider(),
    message:
      'getIntegration("__proto__") resolved to {}; expected a rejection with IntegrationNotFoundError (code "integration_not_found") because no integration has this id',
  },
  {
    check: 'resource-not-found',
    defect: '`undefined` for an unknown resource',
    create: () => new UndefinedResourceProvider(),
    message:
      /^getResource\("weather", "verify-missing-[0-9a-f-]{36}"\) resolved to undefined; expected a rejection with ResourceNotFoundError \(code "resource_not_found"\) because integration "weather" has no resource with this id$/,
  },
  {
    check: 'resources-valid',
    defect: 'the wrong parent uuid on resources',
    create: () => new WrongParentProvider(),
    message:
      'listResources("weather", undefined) returned a resource whose `integration` is "someone-else"; expected "weather", the uuid of its integration',
  },
  {
    check: 'resource-type-filter',
    defect: 'an ignored type filter',
    create: () => new UnfilteredProvider(),
    message:
      'listResources("weather", "file") returned ["readme","forecast"]; expected ["readme"], the resources of that type in listResources("weather", undefined)',
  },
  {
    check: 'returns-copies',
    defect: 'the same object on every read',
    create: () => new SharedObjectProvider(),
    message:
      /^After the caller changed the value that getIntegration\("weather"\) returned, the next getIntegration\("weather"\) differed \(the fields \[.*"name".*\] changed\); expected the provider to store and return copies/,
  },
  {
    check: 'returns-copies',
    defect: 'the object that addResource returned kept',
    create: () => new KeepsAddedResourceProvider(),
    message:
      /^After the caller changed the payload that it passed to addResource\("[0-9a-f-]{36}", .*\) and the value it returned, getResource\("[0-9a-f-]{36}", "[0-9a-f-]{36}"\) differed \(the fields \[.*"query".*\] changed\); expected the provider to store and return copies \(for example with structuredClone\)$/,
  },
  {
    check: 'add-integration-round-trip',
    defect: 'resources of a new integration dropped',
    create: () => new DropsCreateResourcesProvider(),
    message:
      /^addIntegration\(.*\) returned no resource "[0-9a-f-]{36}"; expected the resources of the payload's `resources`, which the context passes on create$/,
  },
  {
    check: 'add-resource-round-trip',
    defect: 'file content dropped',
    create: () => new DropsContentProvider(),
    message:
      /^addResource\("[0-9a-f-]{36}", .*\) returned an item whose `content` is undefined, the payload had "# add-resource-file\\n\\nWritten by verifyProvider\.\\n"; expected the values from the payload$/,
  },
  {
    check: 'update-integration-round-trip',
    defect: 'updates that replace',
    create: () => new ReplacingUpdateProvider(),
    message:
      /^updateIntegration\("[0-9a-f-]{36}", \{"name":"Verify renamed"\}\) changed fields it was not given: `description` went from "Integration created by verifyProvider for the update-integration-round-trip check" to ""; `url` went from "https:\/\/example\.org\/verify" to null; expected them kept$/,
  },
  {
    check: 'update-resource-round-trip',
    defect: 'resource updates that reset notes',
    create: () => new ReplacingResourceUpdateProvider(),
    message:
      /updateResource\("[0-9a-f-]{36}", "[0-9a-f-]{36}", \{"code":"print\(\\"changed\\"\)"\}\) changed fields it was not given: `notes` went from "Changed by verifyProvider" to null; expected them kept$/,
  },
  {
    check: 'remove-integration',
    defect: 'a remove that removes nothing',
    create: () => new NoOpRemoveProvider(),
    message:
      /^getIntegration\("([0-9a-f-]{36})"\) resolved to \{.*; expected a rejection with IntegrationNotFoundError \(code "integration_not_found"\) because removeIntegration\("\1"\) removed it$/,
  },
  {
    check: 'remove-resource',
    defect: 'a second remove that succeeds',
    create: () => new IdempotentRemoveProvider(),
    message:
      /^removeResource\("([0-9a-f-]{36})", "([0-9a-f-]{36})"\) resolved to undefined; expected a rejection with ResourceNotFoundError \(code "resource_not_found"\) because removeResource\("\1", "\2"\) already removed it$/,
  },
  {
    check: 'generated-ids-unique',
    defect: 'resource ids derived from content',
    create: () => new ContentKeyedProvider(),
    message:
      /^20 addResource\("[0-9a-f-]{36}", …\) calls with the same content and a removeResource returned the ids \["example-how_is_same_content_used_"\] more than once; expected distinct ids$/,
  },
  {
    check: 'create-conflict',
    defect: 'a create that overwrites',
    create: () => new OverwritingCreateProvider(),
    message:
      /^addIntegration\(.*\) resolved to \{.*; expected a rejection with IntegrationExistsError \(code "integration_exists"\) because an integration with the uuid "[0-9a-f-]{36}" exists$/,
  },
  {
    check: 'write-not-found',
    defect: 'a parent created on the fly',
    create: () => new ImplicitParentProvider(),
    message:
      /^addResource\("verify-missing-[0-9a-f-]{36}", .*\) resolved to \{.*; expected a rejection with IntegrationNotFoundError \(code "integration_not_found"\) because no integration has this id$/,
  },
  {
    check: 'concurrent-writes',
    defect: 'read-modify-write without a lock',
    create: () => new LostUpdateProvider(),
    message:
      /^listResources\("[0-9a-f-]{36}", undefined\) lacks 19 of 20 resources added concurrently \(.*\); expected every write kept, so serialize read-modify-write cycles per integration$/,
  },
  {
    check: 'unknown-fields-kept',
    defect: 'unknown fields dropped on create',
    create: () => new StrictFieldsProvider(),
    message:
      /^getIntegration\("[0-9a-f-]{36}"\) has `verify_extra` = undefined after addIntegration \(the payload had \{"nested":\["kept",1,true,null\],"flag":false\}\); expected fields that no schema defines to pass through unchanged$/,
  },
  {
    check: 'aborted-signal',
    defect: 'an ignored signal',
    create: () => new IgnoresSignalProvider(),
    message:
      /^listIntegrations\(\) with an aborted signal resolved to \[\{"uuid":"weather".*; expected a rejection, such as `signal\.throwIfAborted\(\)` gives, since the provider sets `supportsCancellation`$/,
  },
  {
    check: 'abort-in-flight',
    defect: 'a signal checked only before a slow read',
    create: () => new ChecksSignalOnceProvider({ readLatencyMs: 300 }),
    options: { skip: onlyChecks(['abort-in-flight']), abortGraceMs: 30 },
    message:
      'listIntegrations() kept running for more than 30 ms after its signal fired; expected it to settle promptly, rejecting with the abort reason, since the provider sets `supportsCancellation`',
  },
];

describe('verifyProvider with broken providers', () => {
  it('has a broken provider for every check', () => {
    const covered = new Set(brokenCases.map((brokenCase) => brokenCase.check));

    expect([...PROVIDER_CHECK_NAMES].filter((name) => !covered.has(name))).toEqual([]);
  });

  it.each(brokenCases)('fails $check for $defect', async ({ check, create, message, options }) => {
    const report = await verifyProvider(create, options);
    const result = resultOf(report, check);

    expect(result.status).toBe('failed');
    if (typeof message === 'string') expect(result.message).toBe(message);
    else expect(result.message).toMatch(message);
    expect(report.passed).toBe(false);
    expect(report.failures).toContain(result);
  });
});

describe('verifyProvider limits and errors', () => {
  it('fails a check whose call never settles and fires its signal', async () => {
    const signals: AbortSignal[] = [];
    class HangingProvider extends ReadOnlyProvider {
      override getIntegration(_integrationId: string, options: { signal: AbortSignal }) {
        signals.push(options.signal);

        return new Promise<never>(() => {});
      }
    }
    const report = await verifyProvider(() => new HangingProvider(), {
      skip: onlyChecks(['list-get-agree']),
      timeoutMs: 50,
    });

    expect(resultOf(report, 'list-get-agree')).toMatchObject({
      status: 'failed',
      message:
        'The check did not finish within 50 ms; the last call, getIntegration("weather"), was still running, and its signal has now fired. Expected every call to settle, or raise `timeoutMs`',
    });
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
  });

  it('fails every check when createProvider throws', async () => {
    const report = await verifyProvider(() => {
      throw new Error('missing credentials');
    });

    expect(report.providerId).toBe('(unknown)');
    expect(report.failures).toHaveLength(PROVIDER_CHECK_NAMES.length);
    expect(report.failures[0]!.message).toBe(
      'createProvider() threw Error: missing credentials; expected a new provider',
    );
  });

  it('rejects an unknown check name in `skip`', async () => {
    const skip = { 'no-such-check': 'typo' } as VerifyProviderOptions['skip'];

    await expect(verifyProvider(() => new ReadOnlyProvider(), { skip })).rejects.toThrow(
      new TypeError(
        `Unknown check "no-such-check" in \`skip\`; use one of ${PROVIDER_CHECK_NAMES.join(', ')}`,
      ),
    );
  });

  it('rejects a skip without a reason', async () => {
    await expect(
      verifyProvider(() => new ReadOnlyProvider(), { skip: { 'returns-copies': ' ' } }),
    ).rejects.toThrow(
      new TypeError('Skipping "returns-copies" needs a reason: give a non-empty string'),
    );
  });

  it('rejects a concurrency that is not a positive integer', async () => {
    await expect(
      verifyProvider(() => new ReadOnlyProvider(), { concurrency: 1.5 }),
    ).rejects.toThrow(new RangeError('`concurrency` is 1.5; expected a positive integer'));
  });

  it('rejects a factory that is not a function', async () => {
    const notAFactory = new ReadOnlyProvider() as unknown as () => IntegrationProvider;

    await expect(verifyProvider(notAFactory)).rejects.toThrow(TypeError);
  });
});

describe('ProviderContractReport', () => {
  it('throws one error that lists every failure', async () => {
    const report = await verifyProvider(() => new RenamingReadProvider());

    let thrown: unknown;
    try {
      report.assert();
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(ProviderContractError);
    const error = thrown as ProviderContractError;
    const lines = error.message.split('\n');
    expect(lines[0]).toBe(
      `Provider "memory:contract" failed ${report.failures.length} of 21 contract checks (2 skipped):`,
    );
    expect(lines.slice(1)).toEqual(
      report.failures.map((failure) => `- ${failure.name}: ${failure.message}`),
    );
    expect(error.report).toBe(report);
  });

  it('formats every check on its own line', async () => {
    const report = await verifyProvider(() => new ReadOnlyProvider());
    const lines = report.toString().split('\n');

    expect(lines[0]).toBe('Provider "memory:contract" (read-only): 8 passed, 0 failed, 13 skipped');
    expect(lines[1]).toBe(
      '  passed  provider-identity: provider "memory:contract" is read-only and names itself',
    );
    expect(lines).toHaveLength(22);
  });

  it('lets assertProviderContract resolve with the report of a correct provider', async () => {
    const report = await assertProviderContract(() => new InMemoryProvider({ slug: 'ok' }));

    expect(report.passed).toBe(true);
  });

  it('lets assertProviderContract reject for a broken provider', async () => {
    await expect(assertProviderContract(() => new UnfilteredProvider())).rejects.toThrow(
      /failed 1 of 21 contract checks \(2 skipped\):\n- resource-type-filter: listResources\("weather", "file"\)/,
    );
  });
});

describe('sleep fixture', () => {
  it('rejects with the reason when the signal fires', async () => {
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort(new Error('stop'));

    await expect(pending).rejects.toThrow('stop');
  });
});
