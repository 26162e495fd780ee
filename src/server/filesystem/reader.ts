/**
 * {@link IntegrationReader}: the read methods of the provider, with file content read from the
 * attachments on every call.
 *
 * @module
 */
import { constants } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { ResourceNotFoundError } from '../../core/errors.js';
import type { Integration, Resource } from '../../core/schemas.js';
import type { FolderCatalog } from './catalog.js';
import type { Layout } from './layout.js';
import type { IntegrationView } from './mapping.js';
import { errorCode, isInside, resolveExisting } from './paths.js';

/** Thrown when an attachment vanished or turned into a link out of the root since its check. */
class AttachmentChangedError extends Error {
  override name = 'AttachmentChangedError';
}

// O_NOFOLLOW makes `open` fail on a symbolic link, so a plain file is read with no `realpath`
// and a link that replaced it after the folder was checked is caught. Windows lacks the flag.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Reads the content of one attachment as UTF-8. The folder's checks have run; this checks the
 * file once more, because it may have changed since.
 *
 * @throws {AttachmentChangedError} when it is missing or resolves outside the root.
 */
export async function readAttachment(
  layout: Layout,
  realRoot: string,
  folder: string,
  filepath: string,
): Promise<string> {
  const file = layout.attachmentPath(folder, filepath);
  try {
    const handle = await open(file, constants.O_RDONLY | NO_FOLLOW);
    try {
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') {
      throw new AttachmentChangedError(`Attachment "${filepath}" is missing`, { cause: error });
    }
    if (code !== 'ELOOP' && code !== 'EMLINK') throw error;
  }

  const resolved = await resolveExisting(file);
  if (resolved === undefined || !isInside(realRoot, resolved)) {
    throw new AttachmentChangedError(`Attachment "${filepath}" links out of the root`);
  }
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      throw new AttachmentChangedError(`Attachment "${filepath}" is missing`, { cause: error });
    }
    throw error;
  }
}

/** The provider's read methods over a {@link FolderCatalog}. */
export class IntegrationReader {
  readonly #layout: Layout;
  readonly #catalog: FolderCatalog;

  constructor(layout: Layout, catalog: FolderCatalog) {
    this.#layout = layout;
    this.#catalog = catalog;
  }

  /** Lists every integration; file resources come without `content`. */
  async listIntegrations(signal?: AbortSignal): Promise<Integration[]> {
    const views = await this.#catalog.list(signal);

    return views.map((view) => structuredClone(view.integration));
  }

  /** Returns one integration with the content of its file resources. */
  async getIntegration(uuid: string, signal?: AbortSignal): Promise<Integration> {
    return this.#withContents(uuid, signal, (view) => {
      const integration = structuredClone(view.integration);

      return { value: integration, resources: Object.values(integration.resources) };
    });
  }

  /** Lists an integration's resources, of one type when `resourceType` is given, with content. */
  async listResources(
    uuid: string,
    resourceType: string | undefined,
    signal?: AbortSignal,
  ): Promise<Resource[]> {
    return this.#withContents(uuid, signal, (view) => {
      const resources = Object.values(structuredClone(view.integration.resources)).filter(
        (resource) => resourceType === undefined || resource.resource_type === resourceType,
      );

      return { value: resources, resources };
    });
  }

  /** Returns one resource, with content when it is a file. */
  async getResource(uuid: string, resourceId: string, signal?: AbortSignal): Promise<Resource> {
    return this.#withContents(uuid, signal, (view) => {
      const { resources } = view.integration;
      if (!Object.hasOwn(resources, resourceId)) throw new ResourceNotFoundError(uuid, resourceId);
      const resource = structuredClone(resources[resourceId]!);

      return { value: resource, resources: [resource] };
    });
  }

  /**
   * Selects resources from an integration and fills in the content of the files among them. An
   * attachment that changed since the folder was checked makes the folder load again, once.
   */
  async #withContents<T>(
    uuid: string,
    signal: AbortSignal | undefined,
    select: (view: IntegrationView) => { value: T; resources: Resource[] },
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      signal?.throwIfAborted();
      const view = await this.#catalog.find(uuid, signal);
      const { value, resources } = select(view);
      try {
        await this.fillContents(view, resources);

        return value;
      } catch (error) {
        if (!(error instanceof AttachmentChangedError) || attempt >= 2) throw error;
        this.#catalog.forget(view.folder);
      }
    }
  }

  /** Sets `content` on each file resource among `resources`, read from its attachment. */
  async fillContents(view: IntegrationView, resources: Resource[]): Promise<void> {
    const files = resources.filter((resource) => view.files.has(resource.resource_id));
    if (files.length === 0) return;

    const realRoot = await this.#layout.realRoot();
    await Promise.all(
      files.map(async (resource) => {
        const filepath = view.files.get(resource.resource_id)!;
        resource.content = await readAttachment(this.#layout, realRoot, view.folder, filepath);
      }),
    );
  }
}
