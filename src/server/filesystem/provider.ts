/**
 * {@link FileSystemProvider} and {@link ReadOnlyFileSystemProvider}: integrations stored in
 * Beaker's on-disk layout.
 *
 * @module
 */
import type {
  CallOptions,
  IntegrationProvider,
  MutableIntegrationProvider,
} from '../../core/provider.js';
import type {
  Integration,
  IntegrationCreate,
  IntegrationUpdate,
  Resource,
  ResourceCreate,
  ResourceUpdate,
} from '../../core/schemas.js';
import type { Logger } from '../options.js';
import { FolderCatalog } from './catalog.js';
import { FolderEditor } from './editor.js';
import { IntegrationWriter } from './integration-writer.js';
import { Layout } from './layout.js';
import { IntegrationReader } from './reader.js';
import { ResourceWriter } from './resource-writer.js';

/** Options of {@link FileSystemProvider}, {@link ReadOnlyFileSystemProvider} and {@link createFileSystemProvider}. */
export interface FileSystemProviderOptions {
  /** Folder that contains `specifications/`. It must exist; `specifications/` is created on the first write. */
  root: string;
  /** Second half of the provider id. */
  slug: string;
  /** Name shown to people. @default the slug */
  displayName?: string;
  /** First half of the provider id. @default 'filesystem' */
  providerType?: string;
  /**
   * Serve the folder without write methods, so that the context rejects writes with 405
   * `provider_read_only`. {@link createFileSystemProvider} reads it; {@link FileSystemProvider}
   * rejects `true`, and {@link ReadOnlyFileSystemProvider} is read-only whatever it says.
   * @default false
   */
  readOnly?: boolean;
  /**
   * Logger for warnings about folders that cannot be loaded. Its `warn` method is used, or
   * `error` when it has no `warn`. @default `console.warn`
   */
  logger?: Logger;
}

/** The default logger: warnings to `console.warn`, errors to `console.error`. */
const consoleWarnings: Logger = {
  error(message, details) {
    console.error(`[beaker-integrations] ${message}`, details ?? '');
  },
  warn(message, details) {
    console.warn(`[beaker-integrations] ${message}`, details ?? '');
  },
};

interface Parts {
  layout: Layout;
  catalog: FolderCatalog;
  reader: IntegrationReader;
}

/** Base of both providers: identity, the folder catalog and the read methods. */
abstract class FileSystemProviderBase implements IntegrationProvider {
  readonly providerType: string;
  readonly slug: string;
  readonly displayName: string;
  /** Every method checks `options.signal` between its file operations. */
  readonly supportsCancellation = true;
  /** The root folder, as an absolute path. */
  readonly root: string;
  protected readonly parts: Parts;

  constructor(options: FileSystemProviderOptions, writes: boolean) {
    if (typeof options.root !== 'string' || options.root === '') {
      throw new TypeError(
        'Missing `root`: give the path of the folder that contains `specifications/`',
      );
    }
    if (typeof options.slug !== 'string' || options.slug === '') {
      throw new TypeError(
        'Missing `slug`: give the second half of the provider id, such as "local"',
      );
    }
    this.providerType = options.providerType ?? 'filesystem';
    this.slug = options.slug;
    this.displayName = options.displayName ?? options.slug;
    const layout = new Layout(options.root);
    this.root = layout.root;
    const catalog = new FolderCatalog({
      layout,
      providerId: `${this.providerType}:${this.slug}`,
      logger: options.logger ?? consoleWarnings,
      removeTemporaryFiles: writes,
    });
    this.parts = { layout, catalog, reader: new IntegrationReader(layout, catalog) };
  }

  /** Lists every integration in the folder; file resources come without `content`. */
  listIntegrations(options?: CallOptions): Promise<Integration[]> {
    return this.parts.reader.listIntegrations(options?.signal);
  }

  /** @throws {IntegrationNotFoundError} */
  getIntegration(integrationId: string, options?: CallOptions): Promise<Integration> {
    return this.parts.reader.getIntegration(integrationId, options?.signal);
  }

  /** @throws {IntegrationNotFoundError} */
  listResources(
    integrationId: string,
    resourceType?: string,
    options?: CallOptions,
  ): Promise<Resource[]> {
    return this.parts.reader.listResources(integrationId, resourceType, options?.signal);
  }

  /** @throws {IntegrationNotFoundError | ResourceNotFoundError} */
  getResource(integrationId: string, resourceId: string, options?: CallOptions): Promise<Resource> {
    return this.parts.reader.getResource(integrationId, resourceId, options?.signal);
  }
}

/**
 * Serves the integrations of a folder in Beaker's layout without any write method, so that
 * `isMutableProvider` is false and the context rejects writes with 405 `provider_read_only`.
 * It never changes the folder, temporary files included.
 *
 * @example
 * ```ts
 * const shared = new ReadOnlyFileSystemProvider({ root: '/srv/beaker', slug: 'shared' });
 * ```
 */
export class ReadOnlyFileSystemProvider extends FileSystemProviderBase {
  constructor(options: FileSystemProviderOptions) {
    super(options, false);
  }
}

/**
 * A mutable provider that stores integrations in Beaker's on-disk layout:
 * `<root>/specifications/<slug>/api.yaml` contains an integration and its resources, and
 * `<root>/specifications/<slug>/attachments/<filepath>` contains the content of each file
 * resource.
 *
 * Writes are atomic (temporary file, `fsync`, rename) and serialized per integration within the
 * process. Changes that other processes make on disk show on the next call. A folder that cannot
 * be loaded is skipped with a warning to `logger`.
 *
 * For a provider without write methods, pass `readOnly: true` to
 * {@link createFileSystemProvider}, or use {@link ReadOnlyFileSystemProvider}.
 *
 * @throws {TypeError} when `root` or `slug` is missing, or `readOnly` is true.
 *
 * @example
 * ```ts
 * const local = new FileSystemProvider({ root: './beaker-data', slug: 'local', displayName: 'Local' });
 * const context = new IntegrationContext({ providers: [local] });
 * ```
 */
export class FileSystemProvider
  extends FileSystemProviderBase
  implements MutableIntegrationProvider
{
  readonly #integrations: IntegrationWriter;
  readonly #resources: ResourceWriter;

  constructor(options: FileSystemProviderOptions & { readOnly?: false }) {
    // Callers in plain JavaScript can pass `true` despite the type.
    if ((options.readOnly as boolean | undefined) === true) {
      throw new TypeError(
        '`readOnly: true` needs a provider without write methods; call createFileSystemProvider(options) or use ReadOnlyFileSystemProvider',
      );
    }
    super(options, true);
    const { layout, catalog } = this.parts;
    const editor = new FolderEditor({
      layout,
      catalog,
      providerId: `${this.providerType}:${this.slug}`,
    });
    this.#integrations = new IntegrationWriter(editor);
    this.#resources = new ResourceWriter(editor);
  }

  /** @throws {IntegrationExistsError | ValidationError} */
  addIntegration(payload: IntegrationCreate, options?: CallOptions): Promise<Integration> {
    return this.#integrations.addIntegration(payload, options?.signal);
  }

  /** @throws {IntegrationNotFoundError | ValidationError} */
  updateIntegration(
    integrationId: string,
    payload: IntegrationUpdate,
    options?: CallOptions,
  ): Promise<Integration> {
    return this.#integrations.updateIntegration(integrationId, payload, options?.signal);
  }

  /** Marks the integration removed with the `disabled` marker. @throws {IntegrationNotFoundError} */
  removeIntegration(integrationId: string, options?: CallOptions): Promise<void> {
    return this.#integrations.removeIntegration(integrationId, options?.signal);
  }

  /** @throws {IntegrationNotFoundError | ResourceExistsError | ValidationError} */
  addResource(
    integrationId: string,
    payload: ResourceCreate,
    options?: CallOptions,
  ): Promise<Resource> {
    return this.#resources.addResource(integrationId, payload, options?.signal);
  }

  /** @throws {IntegrationNotFoundError | ResourceNotFoundError | ValidationError} */
  updateResource(
    integrationId: string,
    resourceId: string,
    payload: ResourceUpdate,
    options?: CallOptions,
  ): Promise<Resource> {
    return this.#resources.updateResource(integrationId, resourceId, payload, options?.signal);
  }

  /** @throws {IntegrationNotFoundError | ResourceNotFoundError} */
  removeResource(integrationId: string, resourceId: string, options?: CallOptions): Promise<void> {
    return this.#resources.removeResource(integrationId, resourceId, options?.signal);
  }
}

/**
 * Creates a filesystem provider: a {@link ReadOnlyFileSystemProvider} when `readOnly` is true,
 * otherwise a {@link FileSystemProvider}.
 *
 * @throws {TypeError} when `root` or `slug` is missing.
 *
 * @example
 * ```ts
 * const shared = createFileSystemProvider({ root: '/srv/beaker', slug: 'shared', readOnly: true });
 * ```
 */
export function createFileSystemProvider(
  options: FileSystemProviderOptions & { readOnly: true },
): ReadOnlyFileSystemProvider;
export function createFileSystemProvider(
  options: FileSystemProviderOptions & { readOnly?: false },
): FileSystemProvider;
export function createFileSystemProvider(
  options: FileSystemProviderOptions,
): FileSystemProvider | ReadOnlyFileSystemProvider;
export function createFileSystemProvider(
  options: FileSystemProviderOptions,
): FileSystemProvider | ReadOnlyFileSystemProvider {
  if (options.readOnly === true) return new ReadOnlyFileSystemProvider(options);

  return new FileSystemProvider({ ...options, readOnly: false });
}
