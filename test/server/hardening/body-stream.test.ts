import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntegrationsHandler, type IntegrationsHandler } from '../../../src/server/index.js';
import { createFixtureContext } from './fixtures.js';
import {
  BASE_PATH,
  expectProblem,
  fromRaw,
  type RawResponse,
  readResponse,
  recordingLogger,
  startServer,
  type TestServer,
} from './http.js';

const MAX_BODY_BYTES = 64 * 1024;
const CHUNK_BYTES = 16 * 1024;

/** Creates a body stream that never ends, counting the bytes pulled from it and noting cancellation. */
function endlessBody() {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulled += CHUNK_BYTES;
      controller.enqueue(new Uint8Array(CHUNK_BYTES).fill(0x20));
    },
    cancel() {
      state.cancelled = true;
    },
  });

  return { stream, state };
}

/**
 * Starts a chunked POST through `node:http` that writes a chunk every few milliseconds and never
 * ends, and resolves with the response and the number of bytes written when it arrived.
 */
function sendEndlessChunked(
  server: TestServer,
  headers: Record<string, string>,
): Promise<{ response: RawResponse; written: number; ended: boolean }> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let timer: NodeJS.Timeout | undefined;
    const request = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: `${BASE_PATH}/s1`,
        headers,
        agent: false,
      },
      (response) => {
        clearInterval(timer);
        const ended = request.writableEnded;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          request.destroy();
          resolve({
            response: {
              status: response.statusCode ?? 0,
              headers: response.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            },
            written,
            ended,
          });
        });
      },
    );
    request.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    const chunk = Buffer.alloc(CHUNK_BYTES, 0x20);
    timer = setInterval(() => {
      // Bounded: stop after 64 MiB even if no response ever comes, and let the test fail.
      if (written > 64 * 1024 * 1024) {
        clearInterval(timer);
        request.destroy();
        return;
      }
      request.write(chunk);
      written += chunk.byteLength;
    }, 2);
  });
}

describe('body limit in process', () => {
  const handler = createIntegrationsHandler({
    context: createFixtureContext(),
    maxBodyBytes: MAX_BODY_BYTES,
  });

  it('stops reading an endless body at the limit', async () => {
    const { stream, state } = endlessBody();
    const request = new Request(`http://localhost${BASE_PATH}/s1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);

    expectProblem(await readResponse(await handler(request)), 413, 'body_too_large');
    // The reader may hold one chunk past the limit plus what the stream queued ahead of it.
    expect(state.pulled).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * CHUNK_BYTES);
    expect(state.cancelled).toBe(true);
  });

  it('rejects a declared Content-Length over the limit before reading', async () => {
    const { stream, state } = endlessBody();
    const request = new Request(`http://localhost${BASE_PATH}/s1/i1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(MAX_BODY_BYTES + 1) },
      body: stream,
      duplex: 'half',
    } as RequestInit);

    expectProblem(await readResponse(await handler(request)), 413, 'body_too_large');
    expect(state.pulled).toBeLessThanOrEqual(CHUNK_BYTES);
  });

  it('accepts a body of exactly the limit', async () => {
    const prefix = '{"description":"';
    const suffix = '"}';
    const text = prefix + 'd'.repeat(MAX_BODY_BYTES - prefix.length - suffix.length) + suffix;
    const request = new Request(`http://localhost${BASE_PATH}/s1/i1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    });

    const response = await handler(request);

    expect(new TextEncoder().encode(text).byteLength).toBe(MAX_BODY_BYTES);
    expect(response.status).toBe(200);
  });
});

describe('body limit over HTTP', () => {
  let server: TestServer;
  let handler: IntegrationsHandler;
  const pending: Array<Promise<Response>> = [];
  const logger = recordingLogger();

  beforeAll(async () => {
    handler = createIntegrationsHandler({
      context: createFixtureContext(),
      maxBodyBytes: MAX_BODY_BYTES,
      logger,
    });
    server = await startServer((request) => {
      const response = handler(request);
      pending.push(response);

      return response;
    });
  });
  afterAll(() => server.close());

  it('cuts off an endless fetch stream with 413', async () => {
    const { stream, state } = endlessBody();

    const response = await fetch(`${server.origin}${BASE_PATH}/s1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);

    expectProblem(await readResponse(response), 413, 'body_too_large');
    expect(state.cancelled || state.pulled > MAX_BODY_BYTES).toBe(true);
  });

  it('answers 413 to an endless chunked upload before it ends', async () => {
    const result = await sendEndlessChunked(server, {
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
    });

    expectProblem(fromRaw(result.response), 413, 'body_too_large');
    expect(result.ended).toBe(false);
    expect(result.written).toBeGreaterThan(MAX_BODY_BYTES);
  });

  it('answers 413 to a declared Content-Length without waiting for the body', async () => {
    const result = await sendEndlessChunked(server, {
      'content-type': 'application/json',
      'content-length': String(1024 * 1024 * 1024),
    });

    expectProblem(fromRaw(result.response), 413, 'body_too_large');
    expect(result.ended).toBe(false);
  });

  it('answers 415 to an endless upload of another media type', async () => {
    const result = await sendEndlessChunked(server, {
      'content-type': 'application/octet-stream',
      'transfer-encoding': 'chunked',
    });

    expectProblem(fromRaw(result.response), 415, 'unsupported_media_type');
  });

  it('treats a client that leaves mid-body as aborted, not as a failure', async () => {
    const before = pending.length;
    await new Promise<void>((resolve) => {
      const request = http.request({
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: `${BASE_PATH}/s1`,
        headers: { 'content-type': 'application/json', 'content-length': '1000' },
        agent: false,
      });
      request.on('error', () => undefined);
      request.write('{"name":', () => setTimeout(() => request.destroy(), 50));
      request.on('close', () => resolve());
    });
    await expect.poll(() => pending.length).toBeGreaterThan(before);
    const response = await pending.at(-1)!;

    expectProblem(await readResponse(response), 499, 'request_aborted');
    expect(logger.entries).toEqual([]);
  });
});
