/**
 * {@link Layout}: the paths of Beaker's on-disk layout under one root.
 *
 * @module
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { errorCode, isInside } from './paths.js';

/** Name of the folder under the root that contains one folder per integration. */
export const SPECIFICATIONS_FOLDER = 'specifications';
/** Name of the file that describes an integration. */
export const API_FILE = 'api.yaml';
/** Name of the folder, beside api.yaml, that contains the content of file resources. */
export const ATTACHMENTS_FOLDER = 'attachments';

/**
 * Paths of `<root>/specifications/<folder>/api.yaml` and
 * `<root>/specifications/<folder>/attachments/<filepath>`. Callers check folder and file names
 * with `nameProblem` before they reach these methods.
 */
export class Layout {
  /** The root, as an absolute path. */
  readonly root: string;
  /** `<root>/specifications`. */
  readonly specifications: string;
  /** The resolved root, kept once `specifications/` exists and was checked. */
  #resolved: string | undefined;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.specifications = path.join(this.root, SPECIFICATIONS_FOLDER);
  }

  folderPath(folder: string): string {
    return path.join(this.specifications, folder);
  }

  apiPath(folder: string): string {
    return path.join(this.specifications, folder, API_FILE);
  }

  attachmentsPath(folder: string): string {
    return path.join(this.specifications, folder, ATTACHMENTS_FOLDER);
  }

  attachmentPath(folder: string, filepath: string): string {
    return path.join(this.specifications, folder, ATTACHMENTS_FOLDER, filepath);
  }

  /**
   * Resolves the root's symbolic links, so that other paths can be compared with it. The result
   * is kept once `specifications/` exists, so a root that is moved or relinked while the
   * process runs is not noticed.
   *
   * @throws {Error} when the root does not exist, or `specifications` is a link out of it.
   */
  async realRoot(): Promise<string> {
    if (this.#resolved !== undefined) return this.#resolved;
    let resolved: string;
    try {
      resolved = await realpath(this.root);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
      throw new Error(
        `The filesystem provider root "${this.root}" does not exist; create it or fix \`root\``,
        { cause: error },
      );
    }
    try {
      const specifications = await realpath(this.specifications);
      if (!isInside(resolved, specifications)) {
        throw new Error(
          `"${this.specifications}" is a symbolic link out of the provider root; make it a folder`,
        );
      }
      this.#resolved = resolved;
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
    }

    return resolved;
  }
}
