/**
 * Loading one integration folder: its api.yaml, the `disabled` marker, and the check that every
 * attachment exists inside the root.
 *
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import { type Document, parseDocument } from 'yaml';
import type { Layout } from './layout.js';
import { firstLine, type IntegrationView, mapDocument } from './mapping.js';
import { errorCode, inspect } from './paths.js';

/**
 * Age below which a folder's signature is not trusted, in ms. File systems store times with a
 * granularity from 1 ns (ext4, XFS) to 2 s (FAT), so a second change within one tick can leave
 * the signature as it was. A folder changed within this window is read again on every call.
 */
export const RACY_WINDOW_MS = 2000;

/** The word that alone in an api.yaml marks a removed integration. */
export const DISABLED_MARKER = 'disabled';

/** The state of one entry under `specifications/`, as last read. */
export type FolderState =
  /** The name no longer exists. */
  | { kind: 'absent' }
  /** A file or other entry that is not a folder; not an integration and not worth a warning. */
  | { kind: 'ignored' }
  /** A folder without api.yaml, such as one whose creation was interrupted. */
  | { kind: 'empty'; signature: string; trusted: boolean }
  /** api.yaml holds only the word `disabled`: a removed integration. */
  | { kind: 'disabled'; signature: string; trusted: boolean }
  /** A folder that cannot be loaded, and the reason in `problem`. */
  | { kind: 'invalid'; signature: string; trusted: boolean; problem: string }
  | { kind: 'loaded'; signature: string; trusted: boolean; view: IntegrationView };

/** A loaded folder and, when its api.yaml parsed, the document for writes to edit. */
export interface LoadedFolder {
  state: FolderState;
  document?: Document;
}

/** The signature of a folder: what changes when its api.yaml or its attachment list changes. */
export interface FolderSignature {
  text: string;
  /** False while a change could still be too recent to change the signature; see {@link RACY_WINDOW_MS}. */
  trusted: boolean;
}

/**
 * Reads the signature of a folder with two `stat` calls: api.yaml (inode, size, change and
 * modification times) and the attachments folder (whose times change when a file in it is
 * added, removed or renamed). Edits of an attachment's content in place do not change it, which
 * is why file content is read again on every call that returns it.
 */
export async function readSignature(layout: Layout, folder: string): Promise<FolderSignature> {
  const now = Date.now();
  const [api, attachments] = await Promise.all([
    statPart(layout.apiPath(folder)),
    statPart(layout.attachmentsPath(folder)),
  ]);

  return {
    text: `${api.text}|${attachments.text}`,
    trusted: now - Math.max(api.changedMs, attachments.changedMs) > RACY_WINDOW_MS,
  };
}

async function statPart(file: string): Promise<{ text: string; changedMs: number }> {
  try {
    const stats = await stat(file, { bigint: true });
    const changedMs = Math.max(
      Number(stats.mtimeNs / 1_000_000n),
      Number(stats.ctimeNs / 1_000_000n),
    );

    return { text: `${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`, changedMs };
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;

    return { text: 'absent', changedMs: 0 };
  }
}

/**
 * Loads one folder from disk, trusting no cache. Problems with the folder's content come back
 * as an `invalid` state; only unexpected I/O errors are thrown.
 */
export async function loadFolder(
  layout: Layout,
  folder: string,
  realRoot: string,
  providerId: string,
): Promise<LoadedFolder> {
  const folderPath = layout.folderPath(folder);
  const found = await inspect(folderPath, realRoot);
  if (found.kind === 'missing') return { state: { kind: 'absent' } };
  if (found.kind === 'outside') {
    const signature = await readSignature(layout, folder);

    return invalid(signature, 'the folder is a symbolic link that points outside the root');
  }
  if (!found.stats.isDirectory()) return { state: { kind: 'ignored' } };

  // The signature is read before the content, so a change in between makes the next check
  // differ and read the folder again.
  const signature = await readSignature(layout, folder);
  const file = await readApiFile(layout.apiPath(folder), realRoot);
  if ('missing' in file) {
    return { state: { kind: 'empty', signature: signature.text, trusted: signature.trusted } };
  }
  if ('problem' in file) return invalid(signature, file.problem);
  if (file.text.trim() === DISABLED_MARKER) {
    return { state: { kind: 'disabled', signature: signature.text, trusted: signature.trusted } };
  }

  const document = parseDocument(file.text);
  if (document.errors.length > 0) {
    return invalid(signature, `api.yaml is not valid YAML: ${firstLine(document.errors[0])}`);
  }
  const mapped = mapDocument(document, folder, providerId);
  if ('problem' in mapped) return { ...invalid(signature, mapped.problem), document };

  const problem = await attachmentProblem(layout, mapped.view, realRoot);
  if (problem !== undefined) return { ...invalid(signature, problem), document };

  const { text, trusted } = signature;

  return { state: { kind: 'loaded', signature: text, trusted, view: mapped.view }, document };
}

type ApiFile = { text: string } | { missing: true } | { problem: string };

async function readApiFile(apiPath: string, realRoot: string): Promise<ApiFile> {
  const found = await inspect(apiPath, realRoot);
  if (found.kind === 'missing') return { missing: true };
  if (found.kind === 'outside') {
    return { problem: 'api.yaml is a symbolic link that points outside the root' };
  }
  if (!found.stats.isFile()) return { problem: 'api.yaml is not a file' };
  try {
    return { text: await readFile(apiPath, 'utf8') };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { missing: true };
    throw error;
  }
}

async function attachmentProblem(
  layout: Layout,
  view: IntegrationView,
  realRoot: string,
): Promise<string | undefined> {
  if (view.files.size === 0) return undefined;
  const folder = await inspect(layout.attachmentsPath(view.folder), realRoot);
  if (folder.kind === 'outside') {
    return 'the attachments folder is a symbolic link that points outside the root';
  }

  for (const [id, filepath] of view.files) {
    const found = await inspect(layout.attachmentPath(view.folder, filepath), realRoot);
    const name = `the attachment "${filepath}" of resource "${id}"`;
    if (found.kind === 'missing') return `${name} is missing`;
    if (found.kind === 'outside') return `${name} is a symbolic link that points outside the root`;
    if (!found.stats.isFile()) return `${name} is not a file`;
  }

  return undefined;
}

function invalid(signature: FolderSignature, problem: string): LoadedFolder {
  return {
    state: { kind: 'invalid', signature: signature.text, trusted: signature.trusted, problem },
  };
}
