import { rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntegrationContext, type IntegrationsError } from '../../src/core/index.js';
import { FileSystemProvider } from '../../src/server/filesystem/index.js';
import { RACY_WINDOW_MS } from '../../src/server/filesystem/loader.js';
import {
  BEAKER_UUID,
  BEAKER_YAML,
  callOptions,
  collectingLogger,
  createRoot,
  type TemporaryRoot,
} from './fixtures/roots.js';

describe('FileSystemProvider with changes made by another process', () => {
  let disk: TemporaryRoot;
  let log: ReturnType<typeof collectingLogger>;
  let provider: FileSystemProvider;

  beforeEach(async () => {
    disk = await createRoot();
    log = collectingLogger();
    provider = new FileSystemProvider({ root: disk.root, slug: 'local', logger: log.logger });
    await disk.writeFolder('open_meteo', BEAKER_YAML, { 'documentation.md': 'docs v1' });
    await provider.listIntegrations(callOptions());
  });
  afterEach(() => disk.remove());

  it('sees an api.yaml edited in place on the next call', async () => {
    const file = path.join(disk.specifications, 'open_meteo', 'api.yaml');
    await writeFile(
      file,
      BEAKER_YAML.replace('name: Open-Meteo Forecast', 'name: Edited Elsewhere'),
    );

    const integration = await provider.getIntegration(BEAKER_UUID, callOptions());
    const [listed] = await provider.listIntegrations(callOptions());

    expect(integration.name).toBe('Edited Elsewhere');
    expect(listed?.name).toBe('Edited Elsewhere');
  });

  it('sees an edit that keeps the file size', async () => {
    const file = path.join(disk.specifications, 'open_meteo', 'api.yaml');
    await writeFile(file, BEAKER_YAML.replace('Open-Meteo Forecast', 'Open-Meteo Forecasz'));

    expect((await provider.getIntegration(BEAKER_UUID, callOptions())).name).toBe(
      'Open-Meteo Forecasz',
    );
  });

  it('sees attachment content edited in place', async () => {
    await writeFile(
      path.join(disk.specifications, 'open_meteo', 'attachments', 'documentation.md'),
      'docs v2',
    );

    expect((await provider.getResource(BEAKER_UUID, 'docs', callOptions())).content).toBe(
      'docs v2',
    );
  });

  it('sees a folder added by another process', async () => {
    await disk.writeFolder('added', 'name: Added\nuuid: added-1\n');

    expect((await provider.getIntegration('added-1', callOptions())).name).toBe('Added');
    expect(await provider.listIntegrations(callOptions())).toHaveLength(2);
  });

  it('sees a folder removed or disabled by another process', async () => {
    await writeFile(path.join(disk.specifications, 'open_meteo', 'api.yaml'), 'disabled');

    const error = await provider
      .getIntegration(BEAKER_UUID, callOptions())
      .catch((caught) => caught);

    expect((error as IntegrationsError).code).toBe('integration_not_found');
    expect(await provider.listIntegrations(callOptions())).toEqual([]);

    await rm(path.join(disk.specifications, 'open_meteo'), { recursive: true });
    expect(await provider.listIntegrations(callOptions())).toEqual([]);
  });

  it('sees a folder renamed by another process', async () => {
    await rename(
      path.join(disk.specifications, 'open_meteo'),
      path.join(disk.specifications, 'renamed'),
    );

    const integration = await provider.getIntegration(BEAKER_UUID, callOptions());

    expect(integration.slug).toBe('open_meteo');
    expect(integration.resources.docs?.content).toBe('docs v1');
  });

  it('sees a deleted attachment and skips the folder with a warning', async () => {
    await rm(path.join(disk.specifications, 'open_meteo', 'attachments', 'documentation.md'));

    const error = await provider
      .getResource(BEAKER_UUID, 'docs', callOptions())
      .catch((caught) => caught);

    expect((error as IntegrationsError).code).toBe('integration_not_found');
    expect(log.warnings.map((warning) => warning.message)).toEqual([
      'Skipped integration folder "open_meteo": the attachment "documentation.md" of resource "docs" is missing',
    ]);
  });

  it('sees a same-size edit after the cached state has become trusted', async () => {
    // Files changed within the racy window are read again on every call. Waiting it out makes the
    // cache trusted, so only the signature (here its change time) can reveal the edit.
    await sleep(RACY_WINDOW_MS + 100);
    await provider.listIntegrations(callOptions());
    const file = path.join(disk.specifications, 'open_meteo', 'api.yaml');
    const { mtime } = await stat(file);

    await writeFile(file, BEAKER_YAML.replace('Open-Meteo Forecast', 'Open-Meteo Forecasz'));
    await utimes(file, mtime, mtime);

    expect((await provider.getIntegration(BEAKER_UUID, callOptions())).name).toBe(
      'Open-Meteo Forecasz',
    );
  });

  it('writes on top of an external edit instead of losing it', async () => {
    const context = new IntegrationContext({ providers: [provider] });
    const file = path.join(disk.specifications, 'open_meteo', 'api.yaml');
    await writeFile(
      file,
      BEAKER_YAML.replace('url: https://open-meteo.com', 'url: https://edited.example'),
    );

    await context.updateIntegration(BEAKER_UUID, { description: 'Changed here' });

    expect(await disk.readYaml('open_meteo')).toMatchObject({
      url: 'https://edited.example',
      description: 'Changed here',
    });
  });
});
