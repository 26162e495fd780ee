/**
 * Rules that keep names from requests and from api.yaml files inside the provider root.
 *
 * @module
 */

import type { Stats } from 'node:fs';
import { lstat, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../../core/errors.js';

/**
 * Maximum length of a slug or attachment file name, in UTF-8 bytes. Most file systems allow 255
 * bytes per name, and a temporary file adds a dot, a UUID and `.tmp` to the name it replaces.
 */
export const MAX_NAME_BYTES = 200;

/** Suffix of the temporary files that atomic writes leave behind when a process dies. */
export const TEMPORARY_SUFFIX = '.tmp';

const encoder = new TextEncoder();
// NUL cannot be in a file name, and the other control characters make names unreadable.
const CONTROL_CHARACTER = /\p{Cc}/u;
const SEPARATOR = /[/\\]/;
const DRIVE_PREFIX = /^[A-Za-z]:/;

/**
 * Returns why a value cannot be one file or folder name in this layout, or undefined when it
 * can. Slugs name integration folders and filepaths name attachment files, so each must be a
 * single path segment.
 */
export function nameProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'it is empty';
  if (value.includes('\u0000')) return 'it contains a NUL byte';
  if (CONTROL_CHARACTER.test(value)) return 'it contains a control character';
  if (SEPARATOR.test(value)) return 'it contains a path separator ("/" or "\\")';
  if (DRIVE_PREFIX.test(value)) return 'it starts with a drive letter';
  if (value.startsWith('.')) return 'it starts with ".", which marks hidden and relative names';
  if (value.toLowerCase().endsWith(TEMPORARY_SUFFIX)) {
    return `it ends with "${TEMPORARY_SUFFIX}", which marks temporary files`;
  }
  const bytes = encoder.encode(value).byteLength;
  if (bytes > MAX_NAME_BYTES) return `it is ${bytes} bytes long; the maximum is ${MAX_NAME_BYTES}`;

  return undefined;
}

/**
 * Returns why an id could be read as a path, or undefined when it cannot. Ids are YAML keys in
 * this layout and never paths, but Beaker tools may turn them into file names.
 */
export function idProblem(value: string): string | undefined {
  if (value === '.' || value === '..') return 'it is a relative path';
  if (value.includes('\u0000')) return 'it contains a NUL byte';
  if (SEPARATOR.test(value)) return 'it contains a path separator ("/" or "\\")';

  return undefined;
}

/** Builds the 422 error for one field whose value is not allowed. */
export function invalidField(field: string, value: unknown, problem: string): ValidationError {
  const preview = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : String(value);

  return new ValidationError(`Invalid \`${field}\` ${preview}: ${problem}`, [
    { path: field, message: problem },
  ]);
}

/** Throws a {@link ValidationError} naming `field` unless `value` is a safe file or folder name. */
export function assertName(field: string, value: unknown): asserts value is string {
  const problem = nameProblem(value);
  if (problem !== undefined) {
    throw invalidField(field, value, `${problem}; use a single file or folder name`);
  }
}

/** Throws a {@link ValidationError} naming `field` when an id could be read as a path. */
export function assertId(field: string, value: string): void {
  const problem = idProblem(value);
  if (problem !== undefined) {
    throw invalidField(field, value, `${problem}; ids may not look like paths here`);
  }
}

/** Tells whether `candidate` is `root` itself or lies below it; both must be resolved paths. */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  if (relative === '') return true;

  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/**
 * Resolves the symbolic links of a path whose last parts may not exist yet: the deepest part that
 * exists is resolved, and the rest is appended. A loop of links resolves to undefined.
 */
export async function resolveExisting(target: string): Promise<string | undefined> {
  let existing = target;
  const missing: string[] = [];
  for (;;) {
    try {
      return path.join(await realpath(existing), ...missing.reverse());
    } catch (error) {
      if (errorCode(error) !== 'ENOENT' && errorCode(error) !== 'ENOTDIR') return undefined;
      const parent = path.dirname(existing);
      if (parent === existing) return undefined;
      missing.push(path.basename(existing));
      existing = parent;
    }
  }
}

/** The result of {@link inspect}: nothing, a link out of the root, or an entry with its stats. */
export type Inspection =
  | { kind: 'missing' }
  | { kind: 'outside' }
  | { kind: 'present'; stats: Stats; linked: boolean };

/**
 * Looks at one path whose parent is known to be inside the root: a plain entry costs one
 * `lstat`, and only a symbolic link is resolved, to check that it stays inside the root.
 * A link that dangles counts as missing.
 */
export async function inspect(target: string, realRoot: string): Promise<Inspection> {
  let stats: Stats;
  try {
    stats = await lstat(target);
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return { kind: 'missing' };
    throw error;
  }
  if (!stats.isSymbolicLink()) return { kind: 'present', stats, linked: false };

  const resolved = await resolveExisting(target);
  if (resolved === undefined || !isInside(realRoot, resolved)) return { kind: 'outside' };
  try {
    return { kind: 'present', stats: await stat(target), linked: true };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
}

/**
 * Throws a {@link ValidationError} naming `field` when `target`, after symbolic links are
 * resolved, lies outside the resolved root.
 */
export async function assertInsideRoot(
  realRoot: string,
  target: string,
  field: string,
  value: string,
): Promise<void> {
  const resolved = await resolveExisting(target);
  if (resolved === undefined || !isInside(realRoot, resolved)) {
    throw invalidField(field, value, 'it points outside the provider root through a symbolic link');
  }
}

/** Returns the `code` of a Node.js system error, such as `ENOENT`. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;

  return typeof code === 'string' ? code : undefined;
}
