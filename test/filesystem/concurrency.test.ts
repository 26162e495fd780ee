import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntegrationContext } from '../../src/core/index.js';
import { FileSystemProvider } from '../../src/server/filesystem/index.js';
import { callOptions, collectingLogger, createRoot, type TemporaryRoot } from './fixtures/roots.js';

const PROVIDER = 'filesystem:local';
const COUNT = 50;

describe('FileSystemProvider under concurrent writes', () => {
  let disk: TemporaryRoot;
  let log: ReturnType<typeof collectingLogger>;
  let provider: FileSystemProvider;
  let context: IntegrationContext;

  beforeEach(async () => {
    disk = await createRoot();
    log = collectingLogger();
    provider = new FileSystemProvider({ root: disk.root, slug: 'local', logger: log.logger });
    context = new IntegrationContext({ providers: [provider] });
    await context.addIntegration(PROVIDER, { uuid: 'busy', name: 'Busy' });
  });
  afterEach(async () => {
    expect(log.warnings).toEqual([]);
    await disk.remove();
  });

  it(`loses none of ${COUNT} concurrent resource adds`, async () => {
    const ids = Array.from({ length: COUNT }, (_, index) => `r${String(index).padStart(2, '0')}`);

    const results = await Promise.allSettled(
      ids.map((id, index) =>
        index % 2 === 0
          ? context.addResource('busy', {
              resource_type: 'example',
              resource_id: id,
              query: id,
              code: `run(${index})`,
            })
          : context.addResource('busy', {
              resource_type: 'file',
              resource_id: id,
              name: id,
              filepath: `${id}.txt`,
              content: `content ${id}`,
            }),
      ),
    );

    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    const onDisk = (await disk.readYaml('busy')).resources as Record<string, unknown>;
    expect(Object.keys(onDisk).sort()).toEqual(ids);
    const attachments = await readdir(path.join(disk.specifications, 'busy', 'attachments'));
    expect(attachments.sort()).toEqual(
      ids.filter((_, index) => index % 2 === 1).map((id) => `${id}.txt`),
    );
    const fresh = new FileSystemProvider({ root: disk.root, slug: 'local' });
    const loaded = await fresh.getIntegration('busy', callOptions());
    expect(Object.keys(loaded.resources).sort()).toEqual(ids);
    expect(loaded.resources.r01?.content).toBe('content r01');
  });

  it('applies concurrent updates of different fields without losing one', async () => {
    const fields = Array.from({ length: 20 }, (_, index) => `field_${index}`);

    await Promise.all(fields.map((field) => context.updateIntegration('busy', { [field]: field })));

    const onDisk = await disk.readYaml('busy');
    for (const field of fields) expect(onDisk[field]).toBe(field);
  });

  it('lets exactly one of two concurrent creates with the same uuid succeed', async () => {
    // Both calls reach the same provider, past the context's own uuid check.
    const results = await Promise.allSettled([
      context.addIntegration(PROVIDER, { uuid: 'twin', name: 'Twin A' }),
      provider.addIntegration(
        { uuid: 'twin', name: 'Twin B', slug: 'twin_b', description: '', datatype: 'api' },
        callOptions(),
      ),
    ]);

    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((result) => result.status === 'rejected');
    expect(rejected?.reason).toMatchObject({ status: 409, code: 'integration_exists' });
  });

  it('keeps resource adds and removes in order when they interleave', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        context.addResource('busy', {
          resource_type: 'example',
          resource_id: `k${index}`,
          query: 'q',
          code: 'c',
        }),
      ),
    );

    await Promise.all([
      ...Array.from({ length: 5 }, (_, index) => context.removeResource('busy', `k${index}`)),
      ...Array.from({ length: 5 }, (_, index) =>
        context.updateResource('busy', `k${index + 5}`, { notes: `note ${index + 5}` }),
      ),
    ]);

    const resources = (await disk.readYaml('busy')).resources as Record<string, { notes?: string }>;
    expect(Object.keys(resources)).toEqual(['k5', 'k6', 'k7', 'k8', 'k9']);
    expect(Object.values(resources).map((resource) => resource.notes)).toEqual([
      'note 5',
      'note 6',
      'note 7',
      'note 8',
      'note 9',
    ]);
  });
});
