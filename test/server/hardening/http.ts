/**
 * Test helpers for the hardening suites: a real loopback server around the handler, a raw
 * `node:http` client for requests that `fetch` would normalize, and problem-document checks.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { expect } from 'vitest';
import type { Logger } from '../../../src/server/index.js';

export const BASE_PATH = '/beaker/integrations';
export const JSON_TYPE = 'application/json; charset=utf-8';
export const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

/** A handler served on 127.0.0.1 at a free port. */
export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  close(): Promise<void>;
}

/** Serves a fetch handler over real HTTP on a free loopback port. */
export async function startServer(
  handler: (request: Request) => Response | Promise<Response>,
): Promise<TestServer> {
  const server = serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }) as http.Server;
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}

/** A response read whole by {@link rawRequest}. */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** What {@link rawRequest} sends: the path goes on the request line exactly as given. */
export interface RawRequestInit {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** The connection pool to send through. @default a new connection per request */
  agent?: http.Agent;
}

/**
 * Sends one request through `node:http`, which leaves the method, the path and the headers as
 * given: no URL normalization, no default Content-Type, odd methods allowed.
 */
export function rawRequest(server: TestServer, init: RawRequestInit): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: init.method,
        path: init.path,
        headers: init.headers,
        agent: init.agent ?? false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    request.on('error', reject);
    if (init.body !== undefined) request.write(init.body);
    request.end();
  });
}

/** The parts of a response that {@link expectProblem} reads, from `fetch` or {@link rawRequest}. */
export interface ResponseLike {
  status: number;
  contentType: string | null | undefined;
  text: string;
}

/** Reads a `fetch` response into the shape {@link expectProblem} checks. */
export async function readResponse(response: Response): Promise<ResponseLike> {
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text: await response.text(),
  };
}

/** Turns a {@link RawResponse} into the shape {@link expectProblem} checks. */
export function fromRaw(response: RawResponse): ResponseLike {
  return {
    status: response.status,
    contentType: response.headers['content-type'],
    text: response.text,
  };
}

/**
 * Checks that a response is an RFC 9457 problem document with the status and code, and that it
 * contains no stack trace or file path. Returns the parsed document.
 */
export function expectProblem(
  response: ResponseLike,
  status: number,
  code: string,
): Record<string, unknown> {
  expect(response.status, response.text).toBe(status);
  expect(response.contentType).toBe(PROBLEM_TYPE);
  const problem = JSON.parse(response.text) as Record<string, unknown>;
  expect(problem.status).toBe(status);
  expect(problem.code).toBe(code);
  expect(problem.type).toBe(`urn:beaker-integrations:problem:${code}`);
  expect(typeof problem.title).toBe('string');
  expect(typeof problem.detail).toBe('string');
  expectNoInternals(response.text);

  return problem;
}

/** Checks that a response body shows no stack frame and no path of this machine's files. */
export function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/\bat .+:\d+:\d+/);
  expect(text).not.toContain('node_modules');
  expect(text).not.toContain(process.cwd());
  expect(text).not.toMatch(/file:\/\//);
}

/** A logger that keeps every entry, so tests can read what the handler logged. */
export function recordingLogger(): Logger & {
  entries: Array<{ message: string; details?: Record<string, unknown> }>;
} {
  const entries: Array<{ message: string; details?: Record<string, unknown> }> = [];

  return {
    entries,
    error(message, details) {
      entries.push({ message, details });
    },
  };
}
