/**
 * Atomic file writes: a temporary file in the same folder, flushed, then renamed over the target.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { lstat, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { errorCode, TEMPORARY_SUFFIX } from './paths.js';

/** Age after which a temporary file is taken to be left over by a process that died, in ms. */
export const STALE_TEMPORARY_FILE_MS = 5 * 60 * 1000;

/** Tells whether a file name is one that {@link writeFileAtomic} uses for its temporary files. */
export function isTemporaryName(name: string): boolean {
  return name.startsWith('.') && name.endsWith(TEMPORARY_SUFFIX);
}

/**
 * Replaces a file's content so that readers, and a process killed at any moment, see either the
 * old or the new content in full. The data goes to a temporary file in the same folder, which is
 * flushed to disk and then renamed over the target. The folder is flushed last, so the rename
 * also survives a power loss on file systems that honour `fsync` on folders.
 *
 * The signal is checked before the rename, the commit point; an abort after it does not undo the
 * write.
 */
export async function writeFileAtomic(
  target: string,
  data: string,
  signal?: AbortSignal,
): Promise<void> {
  const folder = path.dirname(target);
  const temporary = path.join(
    folder,
    `.${path.basename(target)}.${randomUUID()}${TEMPORARY_SUFFIX}`,
  );
  let renamed = false;
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    signal?.throwIfAborted();
    await rename(temporary, target);
    renamed = true;
  } finally {
    if (!renamed) await rm(temporary, { force: true });
  }
  await syncFolder(folder);
}

/** Flushes a folder's entries to disk. Platforms that cannot open a folder for this skip it. */
export async function syncFolder(folder: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') {
      throw error;
    }
  } finally {
    await handle?.close();
  }
}

/**
 * Removes the temporary files of {@link writeFileAtomic} in one folder that are older than
 * {@link STALE_TEMPORARY_FILE_MS}. Younger ones may belong to a write in progress, in this
 * process or another, so they stay.
 */
export async function removeStaleTemporaryFiles(folder: string, now = Date.now()): Promise<void> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return;
    throw error;
  }

  for (const name of names.filter(isTemporaryName)) {
    const file = path.join(folder, name);
    try {
      const stats = await lstat(file);
      if (stats.isFile() && now - stats.mtimeMs > STALE_TEMPORARY_FILE_MS) {
        await rm(file, { force: true });
      }
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
    }
  }
}
