import { BadRequestError, IntegrationsError } from '../core/errors.js';
import { MAX_ID_BYTES } from '../core/validation.js';

export { MAX_ID_BYTES };

/** The path parameters of a route, each percent-decoded once. */
export interface RouteIds {
  sessionId: string;
  integrationId?: string;
  resourceType?: string;
  resourceId?: string;
}

/** Each path parameter's name in the route table and in {@link RouteIds}. */
const names = Object.entries({
  session_id: 'sessionId',
  integration_id: 'integrationId',
  resource_type: 'resourceType',
  resource_id: 'resourceId',
} as const);

const encoder = new TextEncoder();

/**
 * Percent-decodes each raw path segment once, so that `a%2Fb` is the one id `a/b`.
 *
 * @throws {BadRequestError} `invalid_path_parameter` for a malformed escape.
 * @throws {IntegrationsError} 414 `path_parameter_too_long` for a segment over {@link MAX_ID_BYTES}.
 */
export function decodeParams(params: Record<string, string>): RouteIds {
  const ids: Record<string, string> = {};
  for (const [name, key] of names) {
    const raw = params[name];
    if (raw === undefined) continue;
    ids[key] = decodeSegment(name, raw);
  }

  return ids as unknown as RouteIds;
}

function decodeSegment(name: string, raw: string): string {
  let value = raw;
  try {
    if (raw.includes('%')) value = decodeURIComponent(raw);
  } catch {
    throw new BadRequestError(
      400,
      'invalid_path_parameter',
      `Path parameter \`${name}\` has a malformed percent-escape in "${raw.slice(0, 80)}"; encode ids with encodeURIComponent`,
      { extensions: { parameter: name } },
    );
  }
  // A UTF-16 code unit takes at most 3 bytes in UTF-8, so a short value cannot be too long.
  if (value.length * 3 <= MAX_ID_BYTES) return value;

  const bytes = encoder.encode(value).byteLength;
  if (bytes > MAX_ID_BYTES) {
    throw new IntegrationsError(
      414,
      'path_parameter_too_long',
      `Path parameter \`${name}\` is ${bytes} bytes long; ids may be at most ${MAX_ID_BYTES} bytes`,
      { extensions: { parameter: name, max_bytes: MAX_ID_BYTES } },
    );
  }

  return value;
}
