/**
 * {@link IntegrationWriter}: the provider's writes of whole integrations.
 *
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { ConflictError, IntegrationExistsError } from '../../core/errors.js';
import type { Integration, IntegrationCreate, IntegrationUpdate } from '../../core/schemas.js';
import { writeFileAtomic } from './atomic.js';
import { createDocument, pinDerivedIds, setFields } from './document.js';
import type { FolderEditor } from './editor.js';
import { integrationFields, resourceEntry, withContents } from './entries.js';
import { DISABLED_MARKER } from './loader.js';
import { assertId, assertInsideRoot, assertName } from './paths.js';

type Fields = Record<string, unknown>;

/** Update fields that never reach api.yaml: identities, and resources, which have own routes. */
const IGNORED_UPDATE_KEYS: ReadonlySet<string> = new Set([
  'uuid',
  'provider',
  'resources',
  'examples',
]);

/** Creates, updates and removes integrations. */
export class IntegrationWriter {
  readonly #editor: FolderEditor;

  constructor(editor: FolderEditor) {
    this.#editor = editor;
  }

  /**
   * Creates `specifications/<slug>/` with api.yaml and the attachments of file resources. A
   * folder that contains a removed integration (the `disabled` marker) or no api.yaml is reused.
   */
  async addIntegration(payload: IntegrationCreate, signal?: AbortSignal): Promise<Integration> {
    const { uuid, slug, resources = {}, provider: _provider, ...fields } = payload;
    assertId('uuid', uuid);
    assertName('slug', slug);
    for (const [key, resource] of Object.entries(resources)) {
      const id = typeof resource.resource_id === 'string' ? resource.resource_id : key;
      assertId(`resources.${key}.resource_id`, id);
    }
    signal?.throwIfAborted();
    const editor = this.#editor;
    const { layout, catalog } = editor;

    return editor.create(slug, signal, async () => {
      const existing = await catalog.list(signal);
      if (existing.some((view) => view.integration.uuid === uuid)) {
        throw new IntegrationExistsError(uuid);
      }
      const realRoot = await layout.realRoot();
      await assertInsideRoot(realRoot, layout.folderPath(slug), 'slug', slug);
      await this.#assertFolderFree(slug);

      const open = { folder: slug, realRoot };
      const entries = new Map<string, Fields>();
      const contents = new Map<string, string>();
      const owners = new Map<string, string>();
      for (const [key, resource] of Object.entries(resources)) {
        const { content, ...rest } = resource as Fields;
        const id = typeof rest.resource_id === 'string' ? rest.resource_id : key;
        const entry = resourceEntry(rest, id, uuid);
        if (entry.resource_type === 'file') {
          const field = `resources.${key}.filepath`;
          entry.filepath = await editor.chooseFilepath(open, owners, id, rest, field);
          owners.set(entry.filepath as string, id);
          contents.set(id, typeof content === 'string' ? content : '');
        } else if (content !== undefined) {
          entry.content = content;
        }
        entries.set(id, entry);
      }

      const document = createDocument({
        ...integrationFields({ ...fields, slug, uuid }, editor.providerId),
        resources: Object.fromEntries(entries),
      });
      const view = editor.check(document, slug);
      await mkdir(layout.attachmentsPath(slug), { recursive: true });
      for (const [id, content] of contents) {
        await editor.writeAttachment(slug, view.files.get(id)!, content, signal);
      }
      await editor.save(slug, document, signal);
      catalog.remember(uuid, slug);

      return withContents(view, contents);
    });
  }

  /** Sets the given fields in api.yaml and keeps every other key. */
  async updateIntegration(
    uuid: string,
    payload: IntegrationUpdate,
    signal?: AbortSignal,
  ): Promise<Integration> {
    const editor = this.#editor;

    return editor.edit(uuid, signal, async ({ folder, document, view, realRoot }) => {
      const fields: Fields = {};
      for (const [key, value] of Object.entries(payload)) {
        if (!IGNORED_UPDATE_KEYS.has(key)) fields[key] = value;
      }
      if (fields.slug !== undefined && fields.slug !== view.integration.slug) {
        assertName('slug', fields.slug);
      }
      pinDerivedIds(document, view);
      setFields(document, fields);
      const updated = editor.check(document, folder);
      await editor.save(folder, document, signal);

      return withContents(updated, await editor.readContents(updated, realRoot));
    });
  }

  /** Replaces api.yaml with the `disabled` marker; attachments stay, as Beaker leaves them. */
  async removeIntegration(uuid: string, signal?: AbortSignal): Promise<void> {
    const editor = this.#editor;

    await editor.edit(uuid, signal, async ({ folder }) => {
      await writeFileAtomic(editor.layout.apiPath(folder), DISABLED_MARKER, signal);
      editor.catalog.unindex(uuid);
    });
  }

  /** Throws a 409 when a folder with the slug already contains an integration, or anything else. */
  async #assertFolderFree(slug: string): Promise<void> {
    const { state } = await this.#editor.catalog.load(slug);
    if (state.kind === 'absent' || state.kind === 'empty' || state.kind === 'disabled') return;

    throw new ConflictError(
      409,
      'integration_exists',
      `Slug "${slug}" is taken by another integration folder; choose another \`slug\``,
      { extensions: { slug } },
    );
  }
}
