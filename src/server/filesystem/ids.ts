import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';

/**
 * Namespace of the name-based UUIDs below: a fixed random UUID, so that the same folder name
 * always maps to the same uuid and no other library's UUIDs collide with these.
 */
const NAMESPACE = Buffer.from('6d1f0c3a9b2e4c5f8a7d0e1b2c3d4e5f', 'hex');

/**
 * Derives the uuid of an integration whose api.yaml has none, as a name-based UUID (version 5,
 * RFC 9562) of its folder name. Folder names are unique within a root, so the uuid is stable
 * across restarts and the same in every process that reads the folder.
 */
export function derivedUuid(folder: string): string {
  const digest = createHash('sha1').update(NAMESPACE).update(folder, 'utf8').digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');

  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Derives the id of the example at `index` in a legacy top-level `examples` list. */
export function derivedExampleId(index: number): string {
  return `example-${index + 1}`;
}

/**
 * Derives a file resource's `filepath` from its name when the YAML has none, the way Beaker
 * does: lower case, with spaces replaced by `_`.
 */
export function derivedFilepath(name: string): string {
  return name.toLowerCase().replaceAll(' ', '_');
}
