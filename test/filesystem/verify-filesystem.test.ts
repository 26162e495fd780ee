import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IntegrationContext, verifyProvider } from '../../src/core/index.js';
import {
  FileSystemProvider,
  ReadOnlyFileSystemProvider,
} from '../../src/server/filesystem/index.js';

describe('FileSystemProvider contract', () => {
  const roots: string[] = [];

  async function createRoot(): Promise<string> {
    const root = await mkdtemp(path.join(tmpdir(), 'beaker-verify-'));
    roots.push(root);

    return root;
  }

  afterEach(async () => {
    await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
  });

  it('passes every check on an empty folder', async () => {
    const report = await verifyProvider(
      async () => new FileSystemProvider({ root: await createRoot(), slug: 'local' }),
    );

    report.assert();
    expect(report.checks.filter((check) => check.status !== 'passed')).toEqual([]);
  });

  it('passes the read checks read-only over a seeded folder', async () => {
    const root = await createRoot();
    const writer = new FileSystemProvider({ root, slug: 'shared' });
    const context = new IntegrationContext({ providers: [writer] });
    await context.addIntegration('filesystem:shared', {
      name: 'Open-Meteo Forecast',
      description: 'Seven-day forecasts for any place on Earth.',
      resources: {
        docs: {
          resource_type: 'file',
          name: 'documentation',
          filepath: 'documentation.md',
          content: '# Open-Meteo\n',
        },
        berlin: {
          resource_type: 'example',
          query: 'Forecast for Berlin',
          code: 'get_forecast(52.52, 13.41)',
        },
      },
    });

    const report = await verifyProvider(
      () => new ReadOnlyFileSystemProvider({ root, slug: 'shared' }),
    );

    report.assert();
    expect(report.mutable).toBe(false);
    expect(report.checks.filter((check) => check.status === 'passed')).toHaveLength(10);
    expect(report.checks.find((check) => check.name === 'resources-valid')?.message).toBe(
      '2 resources in 1 integration are valid and agree across listResources, getIntegration and getResource',
    );
  });
});
