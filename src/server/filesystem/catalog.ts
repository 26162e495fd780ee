/**
 * {@link FolderCatalog}: the integration folders under `specifications/`, cached and checked
 * against the disk on every call.
 *
 * @module
 */
import { readdir } from 'node:fs/promises';
import { IntegrationNotFoundError } from '../../core/errors.js';
import type { Logger } from '../options.js';
import { removeStaleTemporaryFiles } from './atomic.js';
import type { Layout } from './layout.js';
import { type FolderState, type LoadedFolder, loadFolder, readSignature } from './loader.js';
import type { IntegrationView } from './mapping.js';
import { errorCode, inspect, TEMPORARY_SUFFIX } from './paths.js';

/** Folders loaded at the same time during a scan; bounds open files and memory. */
const SCAN_CONCURRENCY = 32;

/** Settings of a {@link FolderCatalog}. */
export interface CatalogSettings {
  layout: Layout;
  providerId: string;
  logger: Logger;
  /** Remove stale temporary files while loading; only providers that write may. */
  removeTemporaryFiles: boolean;
}

/**
 * The integration folders of one root. Each folder's state is cached with its signature (see
 * `readSignature`), and every call checks the signatures it relies on, so changes that another
 * process makes on disk show on the next call:
 * - a listing reads `specifications/` and checks every folder: one `readdir` plus two `stat`
 *   calls per folder, and a parse only of folders that changed;
 * - a call by uuid checks the one folder that the index names: two `stat` calls. When the index
 *   has no such uuid, or the folder no longer contains it, the whole listing runs once before
 *   the call throws "not found".
 */
export class FolderCatalog {
  readonly #settings: CatalogSettings;
  readonly #states = new Map<string, FolderState>();
  #index = new Map<string, string>();
  /** Folders whose stale temporary files were removed; once per folder per process is enough. */
  readonly #cleaned = new Set<string>();
  /** Folders already reported for a duplicate uuid, with that uuid, so each is logged once. */
  readonly #duplicates = new Map<string, string>();

  constructor(settings: CatalogSettings) {
    this.#settings = settings;
  }

  /** Lists every loaded integration, in folder-name order; the first folder with a uuid wins. */
  async list(signal?: AbortSignal): Promise<IntegrationView[]> {
    const realRoot = await this.#settings.layout.realRoot();
    const names = (await this.#folderNames()).sort();
    const states = await mapConcurrently(names, SCAN_CONCURRENCY, (name) => {
      signal?.throwIfAborted();

      return this.#refresh(name, realRoot);
    });

    const index = new Map<string, string>();
    const views: IntegrationView[] = [];
    names.forEach((name, position) => {
      const state = states[position];
      if (state?.kind !== 'loaded') return;
      const uuid = state.view.integration.uuid;
      const owner = index.get(uuid);
      if (owner !== undefined) {
        this.#reportDuplicate(name, uuid, owner);

        return;
      }
      this.#duplicates.delete(name);
      index.set(uuid, name);
      views.push(state.view);
    });

    const present = new Set(names);
    for (const name of this.#states.keys()) {
      if (!present.has(name)) this.#states.delete(name);
    }
    this.#index = index;

    return views;
  }

  /**
   * Returns the integration with a uuid.
   *
   * @throws {IntegrationNotFoundError} when no loaded folder contains the uuid.
   */
  async find(uuid: string, signal?: AbortSignal): Promise<IntegrationView> {
    const folder = this.#index.get(uuid);
    if (folder !== undefined) {
      const realRoot = await this.#settings.layout.realRoot();
      const state = await this.#refresh(folder, realRoot);
      if (state.kind === 'loaded' && state.view.integration.uuid === uuid) return state.view;
    }

    await this.list(signal);
    const owner = this.#index.get(uuid);
    const state = owner === undefined ? undefined : this.#states.get(owner);
    if (state?.kind === 'loaded') return state.view;

    throw new IntegrationNotFoundError(uuid);
  }

  /** Loads a folder from disk without the cache, for a write to edit. */
  async load(folder: string): Promise<LoadedFolder> {
    const realRoot = await this.#settings.layout.realRoot();

    return loadFolder(this.#settings.layout, folder, realRoot, this.#settings.providerId);
  }

  /** Drops a folder's cached state after a write, so the next call reads it again. */
  forget(folder: string): void {
    this.#states.delete(folder);
  }

  /** Records that a folder now contains a uuid, after a write created it. */
  remember(uuid: string, folder: string): void {
    this.#index.set(uuid, folder);
  }

  /** Drops a uuid from the index, after a write removed it. */
  unindex(uuid: string): void {
    this.#index.delete(uuid);
  }

  async #folderNames(): Promise<string[]> {
    try {
      const names = await readdir(this.#settings.layout.specifications);

      // Hidden names include the temporary files of atomic writes; neither is an integration.
      return names.filter(
        (name) => !name.startsWith('.') && !name.toLowerCase().endsWith(TEMPORARY_SUFFIX),
      );
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return [];
      throw error;
    }
  }

  /** Returns a folder's state, from the cache when its signature is unchanged. */
  async #refresh(folder: string, realRoot: string): Promise<FolderState> {
    const cached = this.#states.get(folder);
    if (cached !== undefined && 'signature' in cached && cached.trusted) {
      const signature = await readSignature(this.#settings.layout, folder);
      if (signature.text === cached.signature) return cached;
    }

    const { layout, providerId } = this.#settings;
    const { state } = await loadFolder(layout, folder, realRoot, providerId);
    const inside = state.kind !== 'absent' && state.kind !== 'ignored' && state.kind !== 'invalid';
    if (this.#settings.removeTemporaryFiles && inside && !this.#cleaned.has(folder)) {
      this.#cleaned.add(folder);
      await this.#removeTemporaryFiles(folder, realRoot);
    }
    this.#report(folder, cached, state);
    if (state.kind === 'absent') this.#states.delete(folder);
    else this.#states.set(folder, state);

    return state;
  }

  /**
   * Removes stale temporary files of a folder and its attachments, unless they link out. It runs
   * on the first load of each folder in this process, because that is when files left by a
   * process that died are found. Later leftovers wait for the next start.
   */
  async #removeTemporaryFiles(folder: string, realRoot: string): Promise<void> {
    const { layout } = this.#settings;
    for (const target of [layout.folderPath(folder), layout.attachmentsPath(folder)]) {
      const found = await inspect(target, realRoot);
      if (found.kind === 'present' && found.stats.isDirectory()) {
        await removeStaleTemporaryFiles(target);
      }
    }
  }

  /** Logs a folder that cannot be loaded, once per problem rather than on every call. */
  #report(folder: string, previous: FolderState | undefined, next: FolderState): void {
    let problem: string | undefined;
    if (next.kind === 'invalid') problem = next.problem;
    if (next.kind === 'empty') problem = 'it has no api.yaml';
    if (problem === undefined) return;

    const previousProblem =
      previous?.kind === 'invalid'
        ? previous.problem
        : previous?.kind === 'empty'
          ? 'it has no api.yaml'
          : undefined;
    if (previousProblem === problem) return;

    this.#warn(`Skipped integration folder "${folder}": ${problem}`, {
      folder,
      path: this.#settings.layout.folderPath(folder),
      problem,
    });
  }

  #reportDuplicate(folder: string, uuid: string, owner: string): void {
    if (this.#duplicates.get(folder) === uuid) return;
    this.#duplicates.set(folder, uuid);
    const problem = `its uuid "${uuid}" is already used by folder "${owner}"`;
    this.#warn(`Skipped integration folder "${folder}": ${problem}`, {
      folder,
      path: this.#settings.layout.folderPath(folder),
      problem,
    });
  }

  #warn(message: string, details: Record<string, unknown>): void {
    const { logger } = this.#settings;
    if (logger.warn !== undefined) logger.warn(message, details);
    else logger.error(message, details);
  }
}

/** Maps items with at most `limit` promises pending at once, keeping the order of results. */
async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const position = next;
      next += 1;
      results[position] = await map(items[position]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));

  return results;
}
