import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntegrationContext, type IntegrationsError } from '../../src/core/index.js';
import { FileSystemProvider } from '../../src/server/filesystem/index.js';
import {
  BEAKER_UUID,
  BEAKER_YAML,
  callOptions,
  collectingLogger,
  createRoot,
  type TemporaryRoot,
} from './fixtures/roots.js';

const PROVIDER = 'filesystem:local';

async function rejection(promise: Promise<unknown>): Promise<IntegrationsError> {
  return promise.then(
    () => {
      throw new Error('Expected the call to fail');
    },
    (error: IntegrationsError) => error,
  );
}

describe('FileSystemProvider writes', () => {
  let disk: TemporaryRoot;
  let log: ReturnType<typeof collectingLogger>;
  let provider: FileSystemProvider;
  let context: IntegrationContext;

  beforeEach(async () => {
    disk = await createRoot();
    log = collectingLogger();
    provider = new FileSystemProvider({ root: disk.root, slug: 'local', logger: log.logger });
    context = new IntegrationContext({ providers: [provider] });
  });
  afterEach(async () => {
    expect(log.warnings).toEqual([]);
    await disk.remove();
  });

  describe('addIntegration', () => {
    it('writes api.yaml in a folder named after the slug, with files in attachments/', async () => {
      const created = await context.addIntegration(PROVIDER, {
        uuid: 'weather-1',
        name: 'Weather API',
        description: 'Forecasts by city.',
        url: 'https://weather.example.org',
        owner: { team: 'ocean' },
        resources: {
          docs: { resource_type: 'file', name: 'Usage', filepath: 'usage.md', content: '# Usage' },
          oslo: { resource_type: 'example', query: 'Tomorrow in Oslo', code: 'forecast("Oslo")' },
        },
      });

      expect(created).toMatchObject({
        uuid: 'weather-1',
        slug: 'weather_api',
        provider: PROVIDER,
        owner: { team: 'ocean' },
        resources: {
          docs: {
            resource_id: 'docs',
            integration: 'weather-1',
            filepath: 'usage.md',
            content: '# Usage',
          },
          oslo: { resource_id: 'oslo', integration: 'weather-1', query: 'Tomorrow in Oslo' },
        },
      });
      expect(await disk.readYaml('weather_api')).toEqual({
        name: 'Weather API',
        slug: 'weather_api',
        uuid: 'weather-1',
        description: 'Forecasts by city.',
        datatype: 'api',
        url: 'https://weather.example.org',
        source: null,
        provider: PROVIDER,
        owner: { team: 'ocean' },
        resources: {
          docs: {
            resource_type: 'file',
            resource_id: 'docs',
            integration: 'weather-1',
            name: 'Usage',
            filepath: 'usage.md',
          },
          oslo: {
            resource_type: 'example',
            resource_id: 'oslo',
            integration: 'weather-1',
            query: 'Tomorrow in Oslo',
            code: 'forecast("Oslo")',
          },
        },
      });
      expect(await disk.readAttachment('weather_api', 'usage.md')).toBe('# Usage');
      expect(await context.getIntegration('weather-1')).toEqual(created);
    });

    it('creates specifications/ when the root has none', async () => {
      const bare = await createRoot();
      await rm(bare.specifications, { recursive: true });
      const fresh = new IntegrationContext({
        providers: [new FileSystemProvider({ root: bare.root, slug: 'local' })],
      });

      await fresh.addIntegration(PROVIDER, { uuid: 'first', name: 'First' });

      expect(await bare.readYaml('first')).toMatchObject({ uuid: 'first', name: 'First' });
      await bare.remove();
    });

    it('rejects a uuid that is taken with 409 `integration_exists`', async () => {
      await context.addIntegration(PROVIDER, { uuid: 'same', name: 'First' });
      const fresh = new FileSystemProvider({ root: disk.root, slug: 'local' });

      const error = await rejection(
        fresh.addIntegration(
          { uuid: 'same', name: 'Second', slug: 'second', description: '', datatype: 'api' },
          callOptions(),
        ),
      );

      expect(error.status).toBe(409);
      expect(error.code).toBe('integration_exists');
    });

    it('rejects a slug whose folder holds another integration with 409', async () => {
      await context.addIntegration(PROVIDER, { name: 'Weather API' });

      const error = await rejection(context.addIntegration(PROVIDER, { name: 'Weather API' }));

      expect(error.status).toBe(409);
      expect(error.code).toBe('integration_exists');
      expect(error.message).toBe(
        'Slug "weather_api" is taken by another integration folder; choose another `slug`',
      );
    });

    it('reuses the folder of a removed integration', async () => {
      await disk.writeFolder('weather_api', 'disabled');

      const created = await context.addIntegration(PROVIDER, { uuid: 'new', name: 'Weather API' });

      expect(created.slug).toBe('weather_api');
      expect(await disk.readYaml('weather_api')).toMatchObject({ uuid: 'new' });
    });

    it('numbers a filepath derived from a name that is already taken', async () => {
      const created = await context.addIntegration(PROVIDER, {
        uuid: 'notes',
        name: 'Notes',
        resources: {
          a: { resource_type: 'file', name: 'Read Me.md', content: 'a' },
          b: { resource_type: 'file', name: 'read me.md', content: 'b' },
        },
      });

      expect(created.resources.a?.filepath).toBe('read_me.md');
      expect(created.resources.b?.filepath).toBe('read_me_2.md');
      expect(await disk.readAttachment('notes', 'read_me_2.md')).toBe('b');
    });
  });

  describe('updateIntegration', () => {
    it('changes the given fields and keeps comments, order and unknown keys', async () => {
      await disk.writeFolder(
        'custom',
        [
          '# Maintained by the data team',
          'name: Custom',
          'uuid: custom-1',
          'description: Old text # inline comment',
          'documentation: !load documentation.md',
          'x-owner:',
          '  team: ocean',
          '  on_call: [ana, bo]',
          'resources:',
          '  sample:',
          '    resource_type: example',
          '    query: q',
          '    code: c',
          '    rating: 5',
          '',
        ].join('\n'),
      );

      const updated = await context.updateIntegration('custom-1', {
        description: 'New text',
        datatype: 'dataset',
        uuid: 'custom-1',
        resources: {},
      });

      expect(updated).toMatchObject({
        description: 'New text',
        datatype: 'dataset',
        'x-owner': { team: 'ocean', on_call: ['ana', 'bo'] },
        documentation: 'documentation.md',
        resources: { sample: { rating: 5 } },
      });
      expect(await disk.readYamlText('custom')).toBe(
        [
          '# Maintained by the data team',
          'name: Custom',
          'uuid: custom-1',
          'description: New text # inline comment',
          'documentation: !load documentation.md',
          'x-owner:',
          '  team: ocean',
          '  on_call: [ ana, bo ]',
          'resources:',
          '  sample:',
          '    resource_type: example',
          '    query: q',
          '    code: c',
          '    rating: 5',
          'datatype: dataset',
          '',
        ].join('\n'),
      );
    });

    it('keeps a Beaker folder loadable by Beaker after a round trip', async () => {
      await disk.writeFolder('open_meteo', BEAKER_YAML, { 'documentation.md': 'docs' });

      await context.updateIntegration(BEAKER_UUID, { name: 'Open-Meteo' });

      const written = await disk.readYaml('open_meteo');
      const original = (await import('yaml')).parse(BEAKER_YAML);
      expect(written).toEqual({ ...original, name: 'Open-Meteo' });
    });

    it('writes a derived uuid into the file, so it stays the same', async () => {
      await disk.writeFolder('no_uuid', 'name: No uuid\n');
      const [listed] = await context.listIntegrations().then(Object.values);

      await context.updateIntegration(listed!.uuid, { description: 'now pinned' });

      expect(await disk.readYaml('no_uuid')).toEqual({
        name: 'No uuid',
        uuid: listed!.uuid,
        description: 'now pinned',
      });
    });

    it('rejects an unsafe new slug with 422 naming `slug`', async () => {
      await context.addIntegration(PROVIDER, { uuid: 'a', name: 'A' });

      const error = await rejection(context.updateIntegration('a', { slug: '../escape' }));

      expect(error.status).toBe(422);
      expect(error.extensions.errors).toEqual([
        { path: 'slug', message: expect.stringContaining('path separator') },
      ]);
    });

    it('answers 404 for an unknown integration', async () => {
      const error = await rejection(context.updateIntegration('nope', { name: 'x' }));

      expect(error.code).toBe('integration_not_found');
    });
  });

  describe('removeIntegration', () => {
    it('writes the `disabled` marker and keeps the folder', async () => {
      await context.addIntegration(PROVIDER, {
        uuid: 'gone',
        name: 'Gone',
        resources: { f: { resource_type: 'file', name: 'f', filepath: 'f.txt', content: 'kept' } },
      });

      await context.removeIntegration('gone');

      expect(await disk.readYamlText('gone')).toBe('disabled');
      expect(await disk.readAttachment('gone', 'f.txt')).toBe('kept');
      expect(await context.listIntegrations()).toEqual({});
      expect((await rejection(context.getIntegration('gone'))).code).toBe('integration_not_found');
      expect((await rejection(context.removeIntegration('gone'))).code).toBe(
        'integration_not_found',
      );
    });
  });

  describe('addResource', () => {
    beforeEach(async () => {
      await context.addIntegration(PROVIDER, { uuid: 'w', name: 'Weather' });
    });

    it('puts file content in attachments/ and not in api.yaml', async () => {
      const created = await context.addResource('w', {
        resource_type: 'file',
        resource_id: 'guide',
        name: 'Guide',
        filepath: 'guide.md',
        content: 'Line one\nLine two\n',
      });

      expect(created).toEqual({
        resource_type: 'file',
        resource_id: 'guide',
        integration: 'w',
        name: 'Guide',
        filepath: 'guide.md',
        content: 'Line one\nLine two\n',
      });
      expect(await disk.readAttachment('weather', 'guide.md')).toBe('Line one\nLine two\n');
      const text = await disk.readYamlText('weather');
      expect(text).not.toContain('Line one');
      expect((await disk.readYaml('weather')).resources).toEqual({
        guide: {
          resource_type: 'file',
          resource_id: 'guide',
          integration: 'w',
          name: 'Guide',
          filepath: 'guide.md',
        },
      });
    });

    it('writes an empty attachment for a file without content', async () => {
      const created = await context.addResource('w', { resource_type: 'file', name: 'Empty' });

      expect(created.filepath).toBe('empty');
      expect(created.content).toBe('');
      expect(await disk.readAttachment('weather', 'empty')).toBe('');
    });

    it('keeps unknown fields of a resource', async () => {
      const created = await context.addResource('w', {
        resource_type: 'example',
        query: 'q',
        code: 'c',
        tags: ['fast'],
      });

      expect(created.tags).toEqual(['fast']);
      expect(await context.getResource('w', created.resource_id)).toEqual(created);
    });

    it('stores a provider-defined resource kind', async () => {
      const created = await context.addResource('w', {
        resource_type: 'table',
        resource_id: 'stations',
        columns: ['id', 'name'],
      });

      expect(await context.getResource('w', 'stations')).toEqual(created);
      expect((await disk.readYaml('weather')).resources).toEqual({
        stations: {
          resource_type: 'table',
          resource_id: 'stations',
          integration: 'w',
          columns: ['id', 'name'],
        },
      });
    });

    it('rejects a taken resource id with 409 `resource_exists`', async () => {
      await context.addResource('w', {
        resource_type: 'example',
        resource_id: 'x',
        query: 'q',
        code: 'c',
      });

      const error = await rejection(
        context.addResource('w', {
          resource_type: 'example',
          resource_id: 'x',
          query: 'q',
          code: 'c',
        }),
      );

      expect(error.status).toBe(409);
      expect(error.code).toBe('resource_exists');
    });

    it('rejects a filepath that another resource uses with 422 naming `filepath`', async () => {
      await context.addResource('w', { resource_type: 'file', name: 'a', filepath: 'shared.md' });

      const error = await rejection(
        context.addResource('w', { resource_type: 'file', name: 'b', filepath: 'shared.md' }),
      );

      expect(error.status).toBe(422);
      expect(error.extensions.errors).toEqual([
        {
          path: 'filepath',
          message: expect.stringContaining('already the attachment of resource'),
        },
      ]);
    });
  });

  describe('updateResource', () => {
    beforeEach(async () => {
      await disk.writeFolder('open_meteo', BEAKER_YAML, { 'documentation.md': 'old docs' });
    });

    it('writes new file content to the attachment', async () => {
      const updated = await context.updateResource(BEAKER_UUID, 'docs', {
        content: 'new docs',
        resource_type: 'file',
        resource_id: 'docs',
      });

      expect(updated.content).toBe('new docs');
      expect(await disk.readAttachment('open_meteo', 'documentation.md')).toBe('new docs');
      expect(await disk.readYamlText('open_meteo')).not.toContain('new docs');
    });

    it('moves the attachment when the filepath changes', async () => {
      const updated = await context.updateResource(BEAKER_UUID, 'docs', { filepath: 'readme.md' });

      expect(updated).toMatchObject({ filepath: 'readme.md', content: 'old docs' });
      expect(await readdir(path.join(disk.specifications, 'open_meteo', 'attachments'))).toEqual([
        'readme.md',
      ]);
      expect(await disk.readYaml('open_meteo')).toMatchObject({
        resources: { docs: { filepath: 'readme.md' } },
      });
    });

    it('changes example fields in place', async () => {
      const updated = await context.updateResource(BEAKER_UUID, 'berlin', { notes: 'Uses UTC' });

      expect(updated).toMatchObject({ query: 'Hourly temperature in Berlin', notes: 'Uses UTC' });
      expect(await disk.readYaml('open_meteo')).toMatchObject({
        resources: { berlin: { notes: 'Uses UTC', resource_id: 'berlin' } },
      });
    });

    it('updates an entry of a legacy examples list and pins the ids', async () => {
      await disk.writeFolder(
        'legacy',
        'name: Legacy\nuuid: legacy\nexamples:\n  - query: a\n    code: a()\n  - query: b\n    code: b()\n',
      );

      await context.updateResource('legacy', 'example-2', { code: 'b(1)' });

      expect(await disk.readYaml('legacy')).toEqual({
        name: 'Legacy',
        uuid: 'legacy',
        examples: [
          { query: 'a', code: 'a()', resource_id: 'example-1' },
          { query: 'b', code: 'b(1)', resource_id: 'example-2' },
        ],
      });
    });

    it('answers 404 for an unknown resource', async () => {
      const error = await rejection(context.updateResource(BEAKER_UUID, 'nope', { notes: 'x' }));

      expect(error.code).toBe('resource_not_found');
    });
  });

  describe('removeResource', () => {
    beforeEach(async () => {
      await disk.writeFolder('open_meteo', BEAKER_YAML, { 'documentation.md': 'docs' });
    });

    it('removes the entry and its attachment', async () => {
      await context.removeResource(BEAKER_UUID, 'docs');

      expect(Object.keys((await disk.readYaml('open_meteo')).resources as object)).toEqual([
        'berlin',
      ]);
      expect(await readdir(path.join(disk.specifications, 'open_meteo', 'attachments'))).toEqual(
        [],
      );
      expect((await rejection(context.getResource(BEAKER_UUID, 'docs'))).code).toBe(
        'resource_not_found',
      );
    });

    it('keeps an attachment that another resource still uses', async () => {
      const yaml = BEAKER_YAML.replace(
        '  berlin:',
        '  copy:\n    resource_type: file\n    name: copy\n    filepath: documentation.md\n  berlin:',
      );
      await writeFile(path.join(disk.specifications, 'open_meteo', 'api.yaml'), yaml);

      await context.removeResource(BEAKER_UUID, 'docs');

      expect(await disk.readAttachment('open_meteo', 'documentation.md')).toBe('docs');
      expect((await context.getResource(BEAKER_UUID, 'copy')).content).toBe('docs');
    });

    it('removes an entry of a legacy examples list without changing the other ids', async () => {
      await disk.writeFolder(
        'legacy',
        'name: Legacy\nuuid: legacy\nexamples:\n  - query: a\n    code: a()\n  - query: b\n    code: b()\n',
      );

      await context.removeResource('legacy', 'example-1');

      const resources = await context.listResources('legacy');
      expect(resources.map((resource) => [resource.resource_id, resource.query])).toEqual([
        ['example-2', 'b'],
      ]);
    });
  });

  it('checks the signal before it writes', async () => {
    await context.addIntegration(PROVIDER, { uuid: 'w', name: 'Weather' });
    const before = await readFile(path.join(disk.specifications, 'weather', 'api.yaml'), 'utf8');
    const controller = new AbortController();
    controller.abort(new Error('client left'));

    await expect(
      provider.addResource(
        'w',
        { resource_type: 'example', resource_id: 'x', query: 'q', code: 'c' },
        callOptions(controller.signal),
      ),
    ).rejects.toThrow('client left');
    expect(await disk.readYamlText('weather')).toBe(before);
  });
});
