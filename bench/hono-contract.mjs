/**
 * The per-request work that the API's contract requires of any server, written for the Hono version
 * of the routes in bench/hono-app.mjs: the provider timeout with its signal, id checks, JSON body
 * checks, ETags, `If-Match` and one write at a time per integration. It is written the way a Hono
 * user would write it, and does what the handler does on the paths that the benchmarks measure.
 */
import {
  BadRequestError,
  BodyTooLargeError,
  IntegrationsError,
  MAX_ID_BYTES,
  PreconditionFailedError,
  ProviderTimeoutError,
  UnsupportedMediaTypeError,
} from 'beaker-integrations';

export const TIMEOUT_MS = 30_000;
export const MAX_BODY_BYTES = 1024 * 1024;

const encoder = new TextEncoder();

/**
 * Runs the provider calls of a request with a deadline. The call options carry the session id and
 * a signal that is created when a provider reads it, and that fires on timeout or when the client
 * goes away.
 */
export function withDeadline(c, sessionId, work) {
  let controller;
  let rejectResult;
  const stop = (reason) => {
    controller?.abort(reason);
    rejectResult(reason);
  };
  const options = {
    sessionId,
    get signal() {
      if (controller === undefined) {
        controller = new AbortController();
        const client = c.req.raw.signal;
        if (client.aborted) stop(abortError());
        else client.addEventListener('abort', () => stop(abortError()), { once: true });
      }

      return controller.signal;
    },
  };

  return new Promise((resolve, reject) => {
    rejectResult = reject;
    const timer = setTimeout(() => stop(new ProviderTimeoutError(TIMEOUT_MS)), TIMEOUT_MS);
    work(options)
      .then(resolve, reject)
      .finally(() => clearTimeout(timer));
  });
}

function abortError() {
  return new IntegrationsError(499, 'request_aborted', 'The client closed the request');
}

/** Returns the path parameters after the checks of the contract: valid escapes, at most 512 bytes. */
export function routeIds(c) {
  if (c.req.path.includes('%')) {
    try {
      decodeURIComponent(c.req.path);
    } catch {
      throw new BadRequestError(400, 'invalid_path_parameter', 'Malformed percent-escape');
    }
  }
  const ids = c.req.param();
  for (const value of Object.values(ids)) {
    if (value.length * 3 > MAX_ID_BYTES && encoder.encode(value).byteLength > MAX_ID_BYTES) {
      throw new IntegrationsError(414, 'path_parameter_too_long', 'Path parameter too long');
    }
  }

  return ids;
}

/** Reads the body as a JSON object, with the media type, encoding and UTF-8 checks. */
export async function jsonObject(c) {
  const contentType = c.req.header('content-type');
  if (contentType !== undefined && contentType.trim() !== '') {
    const mediaType = contentType.split(';', 1)[0].trim().toLowerCase();
    if (mediaType !== 'application/json' && !mediaType.endsWith('+json')) {
      throw new UnsupportedMediaTypeError(contentType);
    }
  }
  const encoding = c.req.header('content-encoding')?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    throw new IntegrationsError(415, 'unsupported_media_type', 'Compressed bodies are not read');
  }

  if (Number(c.req.header('content-length') ?? Number.NaN) > MAX_BODY_BYTES) {
    throw new BodyTooLargeError(MAX_BODY_BYTES);
  }

  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readLimited(c.req.raw));
  } catch {
    throw new BadRequestError(400, 'invalid_json', 'Request body is not valid UTF-8 text');
  }
  if (text.trim() === '') throw new BadRequestError(400, 'invalid_body', 'Request body is empty');
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadRequestError(400, 'invalid_json', 'Request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadRequestError(400, 'invalid_body', 'Request body must be a JSON object');
  }

  return value;
}

/** Reads a body up to {@link MAX_BODY_BYTES}, so that a larger or endless one is never buffered. */
async function readLimited(request) {
  const chunks = [];
  let total = 0;
  if (request.body === null) return new Uint8Array(0);
  for await (const chunk of request.body) {
    total += chunk.byteLength;
    if (total > MAX_BODY_BYTES) throw new BodyTooLargeError(MAX_BODY_BYTES);
    chunks.push(chunk);
  }

  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

/** MurmurHash3 (x86, 32-bit, seed 0) of a text as UTF-16LE bytes, as the handler's ETag. */
export function etagOf(text) {
  let hash = 0;
  let index = 0;
  for (; index < text.length - 1; index += 2) {
    hash ^= scramble(text.charCodeAt(index) | (text.charCodeAt(index + 1) << 16));
    hash = (hash << 13) | (hash >>> 19);
    hash = (Math.imul(hash, 5) + 0xe6546b64) | 0;
  }
  if (index < text.length) hash ^= scramble(text.charCodeAt(index));
  hash ^= text.length * 2;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;

  return `"${(hash >>> 0).toString(36)}-${text.length.toString(36)}"`;
}

function scramble(block) {
  const mixed = Math.imul(block, 0xcc9e2d51);

  return Math.imul((mixed << 15) | (mixed >>> 17), 0x1b873593);
}

/** Builds a JSON response with the ETag of its body. */
export function versioned(c, value, status = 200) {
  const text = JSON.stringify(value);

  return c.body(text, status, { 'content-type': 'application/json', etag: etagOf(text) });
}

/** Throws 412 when `If-Match` is sent and lists no ETag equal to that of the current value. */
export async function checkIfMatch(c, readCurrent) {
  const header = c.req.header('if-match');
  if (header === undefined) return;

  const current = etagOf(JSON.stringify(await readCurrent()));
  const tags = header.split(',').map((tag) => tag.trim());
  if (header.trim() !== '*' && !tags.includes(current)) throw new PreconditionFailedError(current);
}

/**
 * Creates a queue that runs writes to one integration one at a time, so that `If-Match` stays
 * exact. Each app gets its own, as each handler context does.
 */
export function createWriteQueue() {
  const queues = new Map();

  return async function oneAtATime(integrationId, work) {
    const previous = queues.get(integrationId);
    let release;
    const finished = new Promise((resolve) => {
      release = resolve;
    });
    const tail = previous === undefined ? finished : previous.then(() => finished);
    queues.set(integrationId, tail);
    try {
      if (previous !== undefined) await previous;

      return await work();
    } finally {
      release();
      void tail.then(() => {
        if (queues.get(integrationId) === tail) queues.delete(integrationId);
      });
    }
  };
}
