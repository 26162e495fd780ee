/**
 * {@link ResourceWriter}: the provider's writes of resources. A file resource's content goes to
 * its attachment and never to api.yaml.
 *
 * @module
 */
import { ResourceExistsError, ResourceNotFoundError } from '../../core/errors.js';
import type { Resource, ResourceCreate, ResourceUpdate } from '../../core/schemas.js';
import {
  addResourceEntry,
  pinDerivedIds,
  removeResourceEntry,
  updateResourceEntry,
} from './document.js';
import type { FolderEditor, OpenFolder } from './editor.js';
import { resourceEntry, resourceOf } from './entries.js';
import { attachmentOwners } from './filepaths.js';
import { assertId } from './paths.js';

type Fields = Record<string, unknown>;

/** The changes that an update makes to a file resource. */
interface FileChange {
  fields: Fields;
  /** The content to write, when the update sets it or moves the attachment. */
  content: string | undefined;
  oldPath: string;
}

/** Adds, updates and removes resources. */
export class ResourceWriter {
  readonly #editor: FolderEditor;

  constructor(editor: FolderEditor) {
    this.#editor = editor;
  }

  /** Adds a resource entry, and for a file writes its content to the attachment first. */
  async addResource(
    uuid: string,
    payload: ResourceCreate,
    signal?: AbortSignal,
  ): Promise<Resource> {
    const id = payload.resource_id;
    assertId('resource_id', id);
    const editor = this.#editor;

    return editor.edit(uuid, signal, async (open) => {
      const { folder, document, view } = open;
      if (view.locators.has(id)) throw new ResourceExistsError(uuid, id);
      const { content, ...rest } = payload as Fields;
      const entry = resourceEntry(rest, id, uuid);
      let fileContent: string | undefined;
      if (entry.resource_type === 'file') {
        entry.filepath = await editor.chooseFilepath(open, attachmentOwners(view), id, rest);
        fileContent = typeof content === 'string' ? content : '';
      } else if (content !== undefined) {
        entry.content = content;
      }

      pinDerivedIds(document, view);
      addResourceEntry(document, id, entry);
      const updated = editor.check(document, folder);
      if (fileContent !== undefined) {
        await editor.writeAttachment(folder, updated.files.get(id)!, fileContent, signal);
      }
      await editor.save(folder, document, signal);

      return resourceOf(updated, id, fileContent);
    });
  }

  /**
   * Sets the given fields of a resource. A file whose `filepath` changes moves: the new
   * attachment is written, then api.yaml, then the old attachment is removed.
   */
  async updateResource(
    uuid: string,
    resourceId: string,
    payload: ResourceUpdate,
    signal?: AbortSignal,
  ): Promise<Resource> {
    const editor = this.#editor;

    return editor.edit(uuid, signal, async (open) => {
      const { folder, document, view, realRoot } = open;
      const locator = view.locators.get(resourceId);
      if (locator === undefined) throw new ResourceNotFoundError(uuid, resourceId);
      const {
        resource_id: _id,
        integration: _integration,
        resource_type: _type,
        ...requested
      } = payload as Fields;
      const file = view.files.has(resourceId)
        ? await this.#fileChange(open, resourceId, requested)
        : undefined;
      const fields = file?.fields ?? requested;

      pinDerivedIds(document, view);
      updateResourceEntry(document, locator, view.integration.resources[resourceId]!, fields);
      const updated = editor.check(document, folder);
      const newPath = updated.files.get(resourceId);
      if (file?.content !== undefined && newPath !== undefined) {
        await editor.writeAttachment(folder, newPath, file.content, signal);
      }
      await editor.save(folder, document, signal);
      if (file !== undefined && newPath !== file.oldPath) {
        await editor.removeAttachmentIfUnused(folder, updated, file.oldPath);
      }
      if (newPath === undefined) return resourceOf(updated, resourceId, undefined);

      const content = file?.content ?? (await editor.readAttachment(realRoot, folder, newPath));

      return resourceOf(updated, resourceId, content);
    });
  }

  /** Removes a resource entry, then its attachment unless another resource shares the file. */
  async removeResource(uuid: string, resourceId: string, signal?: AbortSignal): Promise<void> {
    const editor = this.#editor;

    await editor.edit(uuid, signal, async ({ folder, document, view }) => {
      const locator = view.locators.get(resourceId);
      if (locator === undefined) throw new ResourceNotFoundError(uuid, resourceId);

      pinDerivedIds(document, view);
      removeResourceEntry(document, locator);
      const updated = editor.check(document, folder);
      await editor.save(folder, document, signal);
      const filepath = view.files.get(resourceId);
      if (filepath !== undefined) await editor.removeAttachmentIfUnused(folder, updated, filepath);
    });
  }

  /**
   * Works out an update of a file resource. `content` goes to the attachment, and a changed
   * `filepath` is checked and takes the current content along unless new content is given. The
   * filepath is always written to the entry, so that a later change of `name` cannot move the
   * attachment that a derived filepath points to.
   */
  async #fileChange(open: OpenFolder, resourceId: string, requested: Fields): Promise<FileChange> {
    const { content, ...fields } = requested;
    const oldPath = open.view.files.get(resourceId)!;
    // A file always has an attachment, so a null `filepath` keeps the current one.
    const newPath = typeof fields.filepath === 'string' ? fields.filepath : oldPath;
    if (newPath !== oldPath) {
      await this.#editor.assertFilepath(open, attachmentOwners(open.view), resourceId, newPath);
    }
    fields.filepath = newPath;

    let newContent: string | undefined;
    if (content !== undefined) newContent = typeof content === 'string' ? content : '';
    else if (newPath !== oldPath) {
      newContent = await this.#editor.readAttachment(open.realRoot, open.folder, oldPath);
    }

    return { fields, content: newContent, oldPath };
  }
}
