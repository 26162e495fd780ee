import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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

/** Values that would leave the root, or name more than one path segment, if used as a path. */
const ESCAPES = [
  ['..', '..'],
  ['a parent path', '../outside'],
  ['an absolute path', '/etc/passwd'],
  ['a nested path', 'a/b'],
  ['a backslash path', 'a\\b'],
  ['a NUL byte', 'a\u0000b'],
] as const;

async function rejection(promise: Promise<unknown>): Promise<IntegrationsError> {
  return promise.then(
    () => {
      throw new Error('Expected the call to fail');
    },
    (error: IntegrationsError) => error,
  );
}

function expectFieldError(error: IntegrationsError, field: string): void {
  expect(error.status).toBe(422);
  expect(error.code).toBe('validation_failed');
  expect(error.message).toMatch(new RegExp(`^Invalid \`${field.replaceAll('.', '\\.')}\``));
  expect(error.extensions.errors).toEqual([{ path: field, message: expect.any(String) }]);
}

describe('FileSystemProvider path rules', () => {
  let disk: TemporaryRoot;
  let outside: string;
  let log: ReturnType<typeof collectingLogger>;
  let provider: FileSystemProvider;
  let context: IntegrationContext;

  beforeEach(async () => {
    disk = await createRoot();
    outside = await mkdtemp(path.join(tmpdir(), 'beaker-outside-'));
    log = collectingLogger();
    provider = new FileSystemProvider({ root: disk.root, slug: 'local', logger: log.logger });
    context = new IntegrationContext({ providers: [provider] });
    await disk.writeFolder('open_meteo', BEAKER_YAML, { 'documentation.md': 'docs' });
  });
  afterEach(async () => {
    expect(await readdir(outside)).toEqual([]);
    await rm(outside, { recursive: true, force: true });
    await disk.remove();
  });

  describe.each(ESCAPES)('with %s', (_label, value) => {
    it('rejects it as `slug` with 422', async () => {
      const error = await rejection(context.addIntegration(PROVIDER, { name: 'X', slug: value }));

      expectFieldError(error, 'slug');
    });

    it('rejects it as `filepath` of a new resource with 422', async () => {
      const error = await rejection(
        context.addResource(BEAKER_UUID, { resource_type: 'file', name: 'x', filepath: value }),
      );

      expectFieldError(error, 'filepath');
    });

    it('rejects it as a changed `filepath` with 422', async () => {
      const error = await rejection(
        context.updateResource(BEAKER_UUID, 'docs', { filepath: value }),
      );

      expectFieldError(error, 'filepath');
    });

    it('rejects it as `filepath` in a new integration with 422', async () => {
      const error = await rejection(
        context.addIntegration(PROVIDER, {
          name: 'X',
          resources: { f: { resource_type: 'file', name: 'f', filepath: value } },
        }),
      );

      expectFieldError(error, 'resources.f.filepath');
    });

    it('rejects it as `resource_id` with 422', async () => {
      const error = await rejection(
        context.addResource(BEAKER_UUID, {
          resource_type: 'example',
          resource_id: value,
          query: 'q',
          code: 'c',
        }),
      );

      expectFieldError(error, 'resource_id');
    });

    it('answers 404, not 500, when it is looked up as an id', async () => {
      const integration = await rejection(provider.getIntegration(value, callOptions()));
      const resource = await rejection(provider.getResource(BEAKER_UUID, value, callOptions()));

      expect(integration.code).toBe('integration_not_found');
      expect(resource.code).toBe('resource_not_found');
    });
  });

  it('rejects `..` as `uuid` with 422', async () => {
    const error = await rejection(context.addIntegration(PROVIDER, { name: 'X', uuid: '..' }));

    expectFieldError(error, 'uuid');
  });

  it('asks for a filepath when the derived one is unsafe', async () => {
    const error = await rejection(
      context.addResource(BEAKER_UUID, { resource_type: 'file', name: '../../notes' }),
    );

    expectFieldError(error, 'filepath');
    expect(error.message).toContain('send a `filepath`');
  });

  it('answers 404 for prototype names as ids', async () => {
    for (const id of ['__proto__', 'constructor', 'toString']) {
      expect((await rejection(provider.getIntegration(id, callOptions()))).status).toBe(404);
      expect((await rejection(provider.getResource(BEAKER_UUID, id, callOptions()))).status).toBe(
        404,
      );
    }
  });

  describe('symbolic links', () => {
    it('rejects a slug whose folder links outside the root with 422', async () => {
      await symlink(outside, path.join(disk.specifications, 'linked'));

      const error = await rejection(
        context.addIntegration(PROVIDER, { name: 'X', slug: 'linked' }),
      );

      expectFieldError(error, 'slug');
      expect(error.message).toContain('points outside the provider root');
    });

    it('rejects a filepath that links outside the root with 422', async () => {
      await writeFile(path.join(outside, 'target.md'), 'secret');
      const attachments = path.join(disk.specifications, 'open_meteo', 'attachments');
      await symlink(path.join(outside, 'target.md'), path.join(attachments, 'linked.md'));

      const added = await rejection(
        context.addResource(BEAKER_UUID, {
          resource_type: 'file',
          name: 'x',
          filepath: 'linked.md',
          content: 'overwrite',
        }),
      );
      const moved = await rejection(
        context.updateResource(BEAKER_UUID, 'docs', { filepath: 'linked.md' }),
      );

      expectFieldError(added, 'filepath');
      expectFieldError(moved, 'filepath');
      await rm(path.join(outside, 'target.md'));
    });

    it('rejects a filepath under an attachments folder that links outside with 422', async () => {
      await context.addIntegration(PROVIDER, { uuid: 'plain', name: 'Plain' });
      await rm(path.join(disk.specifications, 'plain', 'attachments'), {
        recursive: true,
        force: true,
      });
      await symlink(outside, path.join(disk.specifications, 'plain', 'attachments'));

      const error = await rejection(
        context.addResource('plain', { resource_type: 'file', name: 'x', filepath: 'x.md' }),
      );

      expectFieldError(error, 'filepath');
    });

    it('skips a folder that links outside the root, with a warning', async () => {
      await mkdir(path.join(outside, 'evil'));
      await writeFile(path.join(outside, 'evil', 'api.yaml'), 'name: Evil\nuuid: evil\n');
      await symlink(path.join(outside, 'evil'), path.join(disk.specifications, 'evil'));

      const integrations = await provider.listIntegrations(callOptions());

      expect(integrations.map((integration) => integration.slug)).toEqual(['open_meteo']);
      expect(log.warnings.map((warning) => warning.message)).toEqual([
        'Skipped integration folder "evil": the folder is a symbolic link that points outside the root',
      ]);
      await rm(path.join(outside, 'evil'), { recursive: true });
    });

    it('skips a folder whose attachment links outside the root, with a warning', async () => {
      await writeFile(path.join(outside, 'secret.md'), 'secret');
      await disk.writeFolder(
        'leaky',
        'name: Leaky\nuuid: leaky\nresources:\n  s:\n    resource_type: file\n    name: s\n    filepath: s.md\n',
      );
      await symlink(
        path.join(outside, 'secret.md'),
        path.join(disk.specifications, 'leaky', 'attachments', 's.md'),
      );

      const error = await rejection(provider.getResource('leaky', 's', callOptions()));

      expect(error.code).toBe('integration_not_found');
      expect(log.warnings.map((warning) => warning.message)).toEqual([
        'Skipped integration folder "leaky": the attachment "s.md" of resource "s" is a symbolic link that points outside the root',
      ]);
      await rm(path.join(outside, 'secret.md'));
    });

    it('follows links that stay inside the root', async () => {
      await mkdir(path.join(disk.root, 'shared'));
      await writeFile(path.join(disk.root, 'shared', 'guide.md'), 'shared guide');
      await disk.writeFolder(
        'linked_inside',
        'name: Inside\nuuid: inside\nresources:\n  g:\n    resource_type: file\n    name: g\n    filepath: guide.md\n',
      );
      await symlink(
        path.join(disk.root, 'shared', 'guide.md'),
        path.join(disk.specifications, 'linked_inside', 'attachments', 'guide.md'),
      );

      expect((await provider.getResource('inside', 'g', callOptions())).content).toBe(
        'shared guide',
      );
    });
  });
});
