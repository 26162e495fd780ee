/**
 * Picks the integrations and resources that the read checks inspect. A read-only provider is
 * inspected through what it lists and `sampleIntegrationId`. An empty mutable provider gets seed
 * data first.
 *
 * @module
 */
import { sampleExample, sampleFile, sampleIntegration } from './payloads.js';
import { CheckSkipped, type ProviderProbe, type ProviderRecord } from './probe.js';

/** An integration that a read check inspects, with its entry in the list when it has one. */
export interface InspectedIntegration {
  id: string;
  listed: ProviderRecord | undefined;
}

/** An inspected integration and the resources that `listResources` returned for it. */
export interface InspectedResources {
  id: string;
  resources: ProviderRecord[];
}

/**
 * Returns up to `maxItems` listed integrations plus `sampleIntegrationId`. An empty mutable
 * provider gets one seed integration with a file and an example.
 *
 * @throws {CheckSkipped} when a read-only provider has nothing to inspect.
 */
export async function inspectIntegrations(probe: ProviderProbe): Promise<InspectedIntegration[]> {
  const { maxItems, sampleIntegrationId } = probe.settings;
  const listed = await probe.listIntegrations();
  const targets: InspectedIntegration[] = listed
    .filter((integration) => typeof integration.uuid === 'string')
    .slice(0, maxItems)
    .map((integration) => ({ id: integration.uuid as string, listed: integration }));

  if (sampleIntegrationId !== undefined && !targets.some(({ id }) => id === sampleIntegrationId)) {
    const inList = listed.find((integration) => integration.uuid === sampleIntegrationId);
    targets.push({ id: sampleIntegrationId, listed: inList });
  }
  if (targets.length > 0) return targets;

  if (!probe.mutable) {
    throw new CheckSkipped(
      'listIntegrations() returned no integrations and `sampleIntegrationId` is not set; seed the provider or set the option',
    );
  }
  const id = await seedIntegration(probe);
  const seeded = (await probe.listIntegrations()).find((integration) => integration.uuid === id);

  return [{ id, listed: seeded }];
}

/**
 * Returns the inspected integrations that have resources. When none has any, a mutable provider
 * gets a file and an example added to the first one.
 *
 * @throws {CheckSkipped} when a read-only provider has no resources to inspect.
 */
export async function inspectResources(probe: ProviderProbe): Promise<InspectedResources[]> {
  const targets = await inspectIntegrations(probe);
  const found: InspectedResources[] = [];
  for (const { id } of targets) {
    const resources = await probe.listResources(id);
    if (resources.length > 0) {
      found.push({ id, resources: resources.slice(0, probe.settings.maxItems) });
    }
  }
  if (found.length > 0) return found;

  const first = targets[0]!;
  if (!probe.mutable) {
    throw new CheckSkipped(
      `No inspected integration has resources (inspected ${targets.length}); seed one or set \`sampleIntegrationId\``,
    );
  }
  await addSeedResources(probe, first.id);

  return [{ id: first.id, resources: await probe.listResources(first.id) }];
}

/** Creates an integration with a file and an example resource and returns its uuid. */
export async function seedIntegration(probe: ProviderProbe, label = 'seed'): Promise<string> {
  const payload = sampleIntegration(label);
  await probe.addIntegration(payload);
  const id = payload.uuid as string;
  await addSeedResources(probe, id);

  return id;
}

async function addSeedResources(probe: ProviderProbe, integrationId: string): Promise<void> {
  await probe.addResource(integrationId, sampleFile(probe.kinds, integrationId, 'seed-file'));
  await probe.addResource(integrationId, sampleExample(probe.kinds, integrationId, 'seed-example'));
}
