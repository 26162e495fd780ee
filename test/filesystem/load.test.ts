import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  IntegrationContext,
  type IntegrationsError,
  isMutableProvider,
} from '../../src/core/index.js';
import {
  createFileSystemProvider,
  FileSystemProvider,
  ReadOnlyFileSystemProvider,
} from '../../src/server/filesystem/index.js';
import {
  BEAKER_UUID,
  BEAKER_YAML,
  callOptions,
  collectingLogger,
  createRoot,
  type TemporaryRoot,
} from './fixtures/roots.js';

const DOCUMENTATION = '# Open-Meteo\nCall /v1/forecast with latitude and longitude.\n';

describe('FileSystemProvider loading', () => {
  let disk: TemporaryRoot;
  let log: ReturnType<typeof collectingLogger>;
  let provider: FileSystemProvider;

  beforeEach(async () => {
    disk = await createRoot();
    log = collectingLogger();
    provider = new FileSystemProvider({ root: disk.root, slug: 'local', logger: log.logger });
  });
  afterEach(() => disk.remove());

  it('loads a folder written by Beaker unchanged', async () => {
    await disk.writeFolder('open_meteo', BEAKER_YAML, { 'documentation.md': DOCUMENTATION });

    const integration = await provider.getIntegration(BEAKER_UUID, callOptions());

    expect(integration).toEqual({
      uuid: BEAKER_UUID,
      name: 'Open-Meteo Forecast',
      description: 'Seven-day forecasts for any place on Earth.',
      provider: 'filesystem:local',
      slug: 'open_meteo',
      datatype: 'api',
      url: 'https://open-meteo.com',
      img_url: null,
      source: 'Open-Meteo serves forecasts without a key.\n{documentation}',
      last_updated: '2024-05-01T10:00:00',
      resources: {
        docs: {
          resource_type: 'file',
          resource_id: 'docs',
          integration: BEAKER_UUID,
          name: 'documentation',
          filepath: 'documentation.md',
          content: DOCUMENTATION,
        },
        berlin: {
          resource_type: 'example',
          resource_id: 'berlin',
          integration: BEAKER_UUID,
          query: 'Hourly temperature in Berlin',
          code: 'import requests\nrequests.get("https://api.open-meteo.com/v1/forecast", params={"latitude": 52.52})',
          notes: null,
        },
      },
    });
    expect(log.warnings).toEqual([]);
  });

  it('lists integrations without file content', async () => {
    await disk.writeFolder('open_meteo', BEAKER_YAML, { 'documentation.md': DOCUMENTATION });

    const [listed] = await provider.listIntegrations(callOptions());

    expect(listed?.resources.docs).toEqual({
      resource_type: 'file',
      resource_id: 'docs',
      integration: BEAKER_UUID,
      name: 'documentation',
      filepath: 'documentation.md',
    });
    expect(listed?.resources.berlin).toMatchObject({ query: 'Hourly temperature in Berlin' });
  });

  it('includes file content in resource calls', async () => {
    await disk.writeFolder('open_meteo', BEAKER_YAML, { 'documentation.md': DOCUMENTATION });

    const resource = await provider.getResource(BEAKER_UUID, 'docs', callOptions());
    const files = await provider.listResources(BEAKER_UUID, 'file', callOptions());
    const all = await provider.listResources(BEAKER_UUID, undefined, callOptions());

    expect(resource.content).toBe(DOCUMENTATION);
    expect(files.map((file) => [file.resource_id, file.content])).toEqual([
      ['docs', DOCUMENTATION],
    ]);
    expect(all.map((item) => item.resource_id)).toEqual(['docs', 'berlin']);
  });

  it('loads a legacy api.yaml with an examples list and no uuid', async () => {
    await disk.writeFolder(
      'gdc',
      [
        'name: GDC',
        'description: Genomic Data Commons',
        'documentation: !load documentation.md',
        'cache_key: api_assistant_gdc',
        'examples:',
        '  - query: List projects',
        '    code: gdc.projects()',
        '  - query: Count cases',
        '    code: gdc.cases(size=0)',
        '    notes: Uses the size trick',
        '',
      ].join('\n'),
    );

    const [integration] = await provider.listIntegrations(callOptions());

    expect(integration?.uuid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(integration?.slug).toBe('gdc');
    expect(integration?.documentation).toBe('documentation.md');
    expect(integration?.cache_key).toBe('api_assistant_gdc');
    expect(integration?.resources).toEqual({
      'example-1': {
        resource_type: 'example',
        resource_id: 'example-1',
        integration: integration?.uuid,
        query: 'List projects',
        code: 'gdc.projects()',
      },
      'example-2': {
        resource_type: 'example',
        resource_id: 'example-2',
        integration: integration?.uuid,
        query: 'Count cases',
        code: 'gdc.cases(size=0)',
        notes: 'Uses the size trick',
      },
    });
  });

  it('derives the same uuid for a folder in every provider', async () => {
    await disk.writeFolder('no_uuid', 'name: No uuid\n');
    const other = new ReadOnlyFileSystemProvider({ root: disk.root, slug: 'other' });

    const [first] = await provider.listIntegrations(callOptions());
    const [second] = await other.listIntegrations(callOptions());

    expect(first?.uuid).toBe(second?.uuid);
  });

  it('infers resource types as Beaker does and derives a missing filepath', async () => {
    await disk.writeFolder(
      'inferred',
      [
        'name: Inferred',
        'resources:',
        '  notes:',
        '    name: Usage Notes',
        '    filepath: notes.md',
        '  sample:',
        '    query: q',
        '    code: c',
        '  guide:',
        '    resource_type: file',
        '    name: User Guide',
        '',
      ].join('\n'),
      { 'notes.md': 'n', user_guide: 'g' },
    );

    const [integration] = await provider.listIntegrations(callOptions());

    expect(integration?.resources.notes?.resource_type).toBe('file');
    expect(integration?.resources.sample?.resource_type).toBe('example');
    expect(integration?.resources.guide?.filepath).toBe('user_guide');
  });

  it('skips malformed folders with a warning that names each, and loads the rest', async () => {
    await disk.writeFolder('open_meteo', BEAKER_YAML, { 'documentation.md': DOCUMENTATION });
    await disk.writeFolder('bad_yaml', 'name: [unclosed\n');
    await disk.writeFolder('no_name', 'description: nameless\n');
    await disk.writeFolder(
      'no_attachment',
      'name: Missing file\nresources:\n  guide:\n    resource_type: file\n    name: guide\n    filepath: guide.md\n',
    );
    await disk.writeFolder('bad_datatype', 'name: Odd\ndatatype: spreadsheet\n');
    await disk.writeFolder(
      'escaping',
      'name: Escape\nresources:\n  x:\n    filepath: ../../secret\n',
    );
    await mkdir(path.join(disk.specifications, 'no_api_yaml'));

    const integrations = await provider.listIntegrations(callOptions());

    expect(integrations.map((integration) => integration.slug)).toEqual(['open_meteo']);
    const byFolder = Object.fromEntries(
      log.warnings.map((warning) => [warning.details?.folder, warning.message]),
    );
    expect(byFolder).toEqual({
      bad_yaml: expect.stringMatching(
        /^Skipped integration folder "bad_yaml": api\.yaml is not valid YAML: /,
      ),
      no_name: 'Skipped integration folder "no_name": api.yaml has no `name`',
      no_attachment:
        'Skipped integration folder "no_attachment": the attachment "guide.md" of resource "guide" is missing',
      bad_datatype: expect.stringMatching(
        /^Skipped integration folder "bad_datatype": .*`datatype`/,
      ),
      escaping: expect.stringMatching(
        /^Skipped integration folder "escaping": file resource "x" has the filepath "..\/..\/secret", which is not allowed/,
      ),
      no_api_yaml: 'Skipped integration folder "no_api_yaml": it has no api.yaml',
    });
  });

  it('warns about a malformed folder once, not on every call', async () => {
    await disk.writeFolder('bad_yaml', 'name: [unclosed\n');

    await provider.listIntegrations(callOptions());
    await provider.listIntegrations(callOptions());
    await provider.listIntegrations(callOptions());

    expect(log.warnings).toHaveLength(1);
  });

  it('answers 404 for an integration in a malformed folder', async () => {
    await disk.writeFolder('no_name', 'uuid: abc\ndescription: nameless\n');

    const error = await provider.getIntegration('abc', callOptions()).catch((caught) => caught);

    expect((error as IntegrationsError).code).toBe('integration_not_found');
  });

  it('skips a folder marked `disabled` without a warning', async () => {
    await disk.writeFolder('open_meteo', 'disabled');

    const integrations = await provider.listIntegrations(callOptions());
    const error = await provider
      .getIntegration(BEAKER_UUID, callOptions())
      .catch((caught) => caught);

    expect(integrations).toEqual([]);
    expect((error as IntegrationsError).status).toBe(404);
    expect(log.warnings).toEqual([]);
  });

  it('skips the second folder that repeats a uuid', async () => {
    await disk.writeFolder('a_first', `name: First\nuuid: same\n`);
    await disk.writeFolder('b_second', `name: Second\nuuid: same\n`);

    const integrations = await provider.listIntegrations(callOptions());

    expect(integrations.map((integration) => integration.name)).toEqual(['First']);
    expect(log.warnings.map((warning) => warning.message)).toEqual([
      'Skipped integration folder "b_second": its uuid "same" is already used by folder "a_first"',
    ]);
  });

  it('ignores hidden and temporary entries and files in specifications/', async () => {
    await disk.writeFolder('real', 'name: Real\n');
    await disk.writeFolder('.hidden', 'name: Hidden\n');
    await disk.writeFolder('half_written.tmp', 'name: Temporary\n');
    await writeFile(path.join(disk.specifications, 'README.md'), 'not an integration');

    const integrations = await provider.listIntegrations(callOptions());

    expect(integrations.map((integration) => integration.name)).toEqual(['Real']);
    expect(log.warnings).toEqual([]);
  });

  it('removes stale temporary files and keeps recent ones', async () => {
    await disk.writeFolder('real', 'name: Real\n');
    const folder = path.join(disk.specifications, 'real');
    const stale = path.join(folder, '.api.yaml.1111.tmp');
    const recent = path.join(folder, 'attachments', '.guide.md.2222.tmp');
    await writeFile(stale, 'name: half');
    await writeFile(recent, 'half');
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    await utimes(stale, hourAgo, hourAgo);

    const integrations = await provider.listIntegrations(callOptions());

    expect(integrations).toHaveLength(1);
    expect(await readdir(folder)).not.toContain('.api.yaml.1111.tmp');
    expect(await readdir(path.join(folder, 'attachments'))).toContain('.guide.md.2222.tmp');
  });

  it('leaves temporary files alone when read-only', async () => {
    await disk.writeFolder('real', 'name: Real\n');
    const stale = path.join(disk.specifications, 'real', '.api.yaml.1111.tmp');
    await writeFile(stale, 'name: half');
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    await utimes(stale, hourAgo, hourAgo);
    const readOnly = createFileSystemProvider({ root: disk.root, slug: 'shared', readOnly: true });

    await readOnly.listIntegrations(callOptions());

    expect(await readdir(path.join(disk.specifications, 'real'))).toContain('.api.yaml.1111.tmp');
  });

  it('lists nothing when specifications/ does not exist yet', async () => {
    const empty = await createRoot();
    await empty.remove();
    await mkdir(empty.root);
    const fresh = new FileSystemProvider({ root: empty.root, slug: 'fresh' });

    expect(await fresh.listIntegrations(callOptions())).toEqual([]);
    await empty.remove();
  });

  it('fails with the path when the root does not exist', async () => {
    const missing = new FileSystemProvider({ root: path.join(disk.root, 'missing'), slug: 'x' });

    await expect(missing.listIntegrations(callOptions())).rejects.toThrow(
      `The filesystem provider root "${path.join(disk.root, 'missing')}" does not exist; create it or fix \`root\``,
    );
  });
});

describe('createFileSystemProvider', () => {
  it('returns a provider without write methods when readOnly is true', () => {
    const provider = createFileSystemProvider({ root: '/tmp', slug: 'shared', readOnly: true });

    expect(provider).toBeInstanceOf(ReadOnlyFileSystemProvider);
    expect(isMutableProvider(provider)).toBe(false);
    expect('addResource' in provider).toBe(false);
  });

  it('returns a mutable provider by default', () => {
    const provider = createFileSystemProvider({ root: '/tmp', slug: 'local' });

    expect(provider).toBeInstanceOf(FileSystemProvider);
    expect(isMutableProvider(provider)).toBe(true);
    expect(provider.supportsCancellation).toBe(true);
  });

  it('describes the provider to the context', () => {
    const context = new IntegrationContext({
      providers: [
        createFileSystemProvider({ root: '/tmp', slug: 'local', displayName: 'Local files' }),
        createFileSystemProvider({
          root: '/tmp',
          slug: 'shared',
          readOnly: true,
          providerType: 'adhoc',
        }),
      ],
    });

    expect(context.listProviders()).toEqual([
      {
        id: 'filesystem:local',
        display_name: 'Local files',
        provider_type: 'filesystem',
        slug: 'local',
        mutable: true,
      },
      {
        id: 'adhoc:shared',
        display_name: 'shared',
        provider_type: 'adhoc',
        slug: 'shared',
        mutable: false,
      },
    ]);
  });

  it('rejects readOnly in the mutable class', () => {
    const options = { root: '/tmp', slug: 'x', readOnly: true } as unknown as {
      root: string;
      slug: string;
    };

    expect(() => new FileSystemProvider(options)).toThrow(TypeError);
  });
});
