import {
  BadRequestError,
  BodyTooLargeError,
  IntegrationsError,
  UnsupportedMediaTypeError,
} from '../core/errors.js';

/** Tells whether a Content-Type is JSON: `application/json` or any `+json` type, any charset. */
export function isJsonMediaType(contentType: string): boolean {
  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();

  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/**
 * Reads a request body as a JSON object, stopping as soon as it passes `maxBytes` so that a huge
 * or endless body is never buffered whole. A missing Content-Type is read as JSON.
 *
 * @throws {UnsupportedMediaTypeError} for a Content-Type that is present and not JSON.
 * @throws {IntegrationsError} 415 `unsupported_media_type` for a compressed body.
 * @throws {BodyTooLargeError} for a body over `maxBytes`.
 * @throws {BadRequestError} `invalid_json` or `invalid_body`.
 */
export async function readJsonObject(
  request: Request,
  maxBytes: number,
): Promise<Record<string, unknown>> {
  const contentType = request.headers.get('content-type');
  if (contentType !== null && contentType.trim() !== '' && !isJsonMediaType(contentType)) {
    throw new UnsupportedMediaTypeError(contentType);
  }
  const encoding = request.headers.get('content-encoding')?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    throw new IntegrationsError(
      415,
      'unsupported_media_type',
      `Content-Encoding "${encoding}" is not supported; send the body uncompressed`,
    );
  }
  const declaredLength = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declaredLength > maxBytes) throw new BodyTooLargeError(maxBytes);

  const text = decodeUtf8(await readLimited(request, maxBytes));
  if (text.trim() === '') {
    throw new BadRequestError(400, 'invalid_body', 'Request body is empty; send a JSON object');
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'parse error';
    throw new BadRequestError(400, 'invalid_json', `Request body is not valid JSON: ${reason}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new BadRequestError(
      400,
      'invalid_body',
      `Request body must be a JSON object, not ${kind}`,
    );
  }

  return value as Record<string, unknown>;
}

async function readLimited(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (request.body === null) return new Uint8Array(0);

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let read = await readChunk(reader); !read.done; read = await readChunk(reader)) {
    total += read.value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(read.value);
  }
  if (chunks.length === 1) return chunks[0]!;

  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }

  return bytes;
}

/**
 * Reads one chunk of the body. A body stream fails when its connection does, as when the client
 * goes away mid-body, so the failure becomes `request_aborted` and not a provider error.
 */
async function readChunk(
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  try {
    return await reader.read();
  } catch (error) {
    throw new IntegrationsError(
      499,
      'request_aborted',
      'The client closed the request before the body was complete',
      { cause: error },
    );
  }
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BadRequestError(400, 'invalid_json', 'Request body is not valid UTF-8 text');
  }
}
