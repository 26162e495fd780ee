/**
 * {@link FolderEditor}: what every write shares. Each write runs under a lock keyed by the
 * integration's folder, reads api.yaml fresh from disk, edits the parsed document, checks that
 * the result would load again, and replaces the files atomically, attachments first and
 * api.yaml last.
 *
 * @module
 */
import { mkdir, rm } from 'node:fs/promises';
import type { Document } from 'yaml';
import { IntegrationNotFoundError, ValidationError } from '../../core/errors.js';
import { writeFileAtomic } from './atomic.js';
import type { FolderCatalog } from './catalog.js';
import { documentText } from './document.js';
import { assertFilepathFree, numberedFilepath } from './filepaths.js';
import type { Layout } from './layout.js';
import { KeyedLock } from './lock.js';
import { type IntegrationView, mapDocument } from './mapping.js';
import { assertInsideRoot, assertName } from './paths.js';
import { readAttachment } from './reader.js';

/**
 * Lock key that serializes creates, so two of them cannot take the same uuid. The other keys
 * start with `uuid:` or `folder:`. A create takes this key first and an edit takes its uuid key
 * first, so no two tasks can wait for each other in opposite order.
 */
const CREATE_KEY = 'create';

/** A folder read under its lock, ready to edit. */
export interface OpenFolder {
  folder: string;
  document: Document;
  view: IntegrationView;
  realRoot: string;
}

/** Settings of a {@link FolderEditor}. */
export interface EditorSettings {
  layout: Layout;
  catalog: FolderCatalog;
  providerId: string;
}

/** Locking, loading, checking and saving of integration folders, for the writers. */
export class FolderEditor {
  readonly layout: Layout;
  readonly catalog: FolderCatalog;
  readonly #providerId: string;
  readonly #lock = new KeyedLock();

  constructor(settings: EditorSettings) {
    this.layout = settings.layout;
    this.catalog = settings.catalog;
    this.#providerId = settings.providerId;
  }

  /** The provider id `<providerType>:<slug>`. */
  get providerId(): string {
    return this.#providerId;
  }

  /**
   * Runs an edit of an existing integration under its folder's lock, on api.yaml as it is on
   * disk now, and drops the folder's cached state afterwards. Edits of one uuid queue in the
   * order of their calls, because the uuid's lock is taken before the folder is looked up.
   *
   * @throws {IntegrationNotFoundError} when no loaded folder contains the uuid.
   */
  edit<T>(
    uuid: string,
    signal: AbortSignal | undefined,
    edit: (open: OpenFolder) => Promise<T>,
  ): Promise<T> {
    return this.#lock.run(`uuid:${uuid}`, async () => {
      signal?.throwIfAborted();
      const { folder } = await this.catalog.find(uuid, signal);

      return this.#lock.run(`folder:${folder}`, async () => {
        signal?.throwIfAborted();
        try {
          const { state, document } = await this.catalog.load(folder);
          const loaded = state.kind === 'loaded' && state.view.integration.uuid === uuid;
          if (!loaded || document === undefined) throw new IntegrationNotFoundError(uuid);
          const realRoot = await this.layout.realRoot();

          return await edit({ folder, document, view: state.view, realRoot });
        } finally {
          this.catalog.forget(folder);
        }
      });
    });
  }

  /**
   * Runs the creation of a folder under the lock of creates and the folder's own lock, and drops
   * the folder's cached state afterwards.
   */
  create<T>(folder: string, signal: AbortSignal | undefined, create: () => Promise<T>): Promise<T> {
    return this.#lock.run(CREATE_KEY, () =>
      this.#lock.run(`folder:${folder}`, async () => {
        signal?.throwIfAborted();
        try {
          return await create();
        } finally {
          this.catalog.forget(folder);
        }
      }),
    );
  }

  /**
   * Maps the edited document as a later load would, so that nothing is written that would not
   * load again.
   *
   * @throws {ValidationError} naming the problem.
   */
  check(document: Document, folder: string): IntegrationView {
    const mapped = mapDocument(document, folder, this.#providerId);
    if ('problem' in mapped) {
      throw new ValidationError(
        `The change would make the integration unreadable: ${mapped.problem}`,
        [{ path: '(body)', message: mapped.problem }],
      );
    }

    return mapped.view;
  }

  /** Replaces api.yaml atomically with the document's text. */
  async save(folder: string, document: Document, signal?: AbortSignal): Promise<void> {
    await writeFileAtomic(this.layout.apiPath(folder), documentText(document), signal);
  }

  /** Replaces one attachment atomically, creating `attachments/` when needed. */
  async writeAttachment(
    folder: string,
    filepath: string,
    content: string,
    signal?: AbortSignal,
  ): Promise<void> {
    await mkdir(this.layout.attachmentsPath(folder), { recursive: true });
    await writeFileAtomic(this.layout.attachmentPath(folder, filepath), content, signal);
  }

  /** Removes an attachment unless a resource of the saved view still uses it. */
  async removeAttachmentIfUnused(
    folder: string,
    view: IntegrationView,
    filepath: string,
  ): Promise<void> {
    if ([...view.files.values()].includes(filepath)) return;
    await rm(this.layout.attachmentPath(folder, filepath), { force: true });
  }

  /** Reads one attachment; see {@link readAttachment}. */
  readAttachment(realRoot: string, folder: string, filepath: string): Promise<string> {
    return readAttachment(this.layout, realRoot, folder, filepath);
  }

  /** Reads the content of every file resource of a view, keyed by resource id. */
  async readContents(view: IntegrationView, realRoot: string): Promise<Map<string, string>> {
    const contents = new Map<string, string>();
    for (const [id, filepath] of view.files) {
      contents.set(id, await this.readAttachment(realRoot, view.folder, filepath));
    }

    return contents;
  }

  /**
   * Checks a filepath that a request gave: a safe name, free, and inside the root.
   *
   * @throws {ValidationError} naming `field`.
   */
  async assertFilepath(
    open: Pick<OpenFolder, 'folder' | 'realRoot'>,
    owners: ReadonlyMap<string, string>,
    id: string,
    filepath: unknown,
    field = 'filepath',
  ): Promise<string> {
    assertName(field, filepath);
    assertFilepathFree(owners, filepath, id, field);
    const file = this.layout.attachmentPath(open.folder, filepath);
    await assertInsideRoot(open.realRoot, file, field, filepath);

    return filepath;
  }

  /**
   * Returns the attachment name of a new file resource: its `filepath`, or one derived from its
   * name as Beaker does, numbered when another resource has it.
   *
   * @throws {ValidationError} naming `field` when it is not a safe name, is taken, or links out.
   */
  async chooseFilepath(
    open: Pick<OpenFolder, 'folder' | 'realRoot'>,
    owners: ReadonlyMap<string, string>,
    id: string,
    fields: Record<string, unknown>,
    field = 'filepath',
  ): Promise<string> {
    const given = fields.filepath;
    const filepath =
      typeof given === 'string' && given !== ''
        ? given
        : numberedFilepath(fields.name, field, owners);

    return this.assertFilepath(open, owners, id, filepath, field);
  }
}
