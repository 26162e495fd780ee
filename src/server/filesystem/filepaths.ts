/**
 * Attachment names of file resources: who has which, and the name of a new file.
 *
 * @module
 */
import path from 'node:path';
import { derivedFilepath } from './ids.js';
import type { IntegrationView } from './mapping.js';
import { invalidField, nameProblem } from './paths.js';

/** Maximum number of numbered variants tried when a filepath derived from a name is taken. */
const MAX_FILEPATH_VARIANTS = 1000;

/** Maps each attachment name to the id of the resource that has it. */
export function attachmentOwners(view: IntegrationView): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [id, filepath] of view.files) owners.set(filepath, id);

  return owners;
}

/**
 * Throws a {@link ValidationError} naming `field` when another resource's attachment has the
 * name already.
 */
export function assertFilepathFree(
  owners: ReadonlyMap<string, string>,
  filepath: string,
  id: string,
  field = 'filepath',
): void {
  const owner = owners.get(filepath);
  if (owner !== undefined && owner !== id) {
    throw invalidField(
      field,
      filepath,
      `it is already the attachment of resource "${owner}"; choose another name`,
    );
  }
}

/**
 * Derives a new file resource's attachment name from its `name` as Beaker does, numbered
 * (`notes_2.md`) when another resource has it.
 *
 * @throws {ValidationError} naming `field` when the name is missing or gives an unsafe name.
 */
export function numberedFilepath(
  name: unknown,
  field: string,
  owners: ReadonlyMap<string, string>,
): string {
  if (typeof name !== 'string' || name === '') {
    throw invalidField(field, name, 'a file resource needs a `filepath` or a `name`');
  }
  const base = derivedFilepath(name);
  const problem = nameProblem(base);
  if (problem !== undefined) {
    throw invalidField(
      field,
      base,
      `it was derived from \`name\` and ${problem}; send a \`filepath\``,
    );
  }

  const extension = path.extname(base);
  const stem = base.slice(0, base.length - extension.length);
  let candidate = base;
  for (let number = 2; owners.has(candidate) && number <= MAX_FILEPATH_VARIANTS; number += 1) {
    candidate = `${stem}_${number}${extension}`;
  }
  if (owners.has(candidate)) {
    throw invalidField(field, base, 'every numbered variant of it is taken; send a `filepath`');
  }

  return candidate;
}
