import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_PATH } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const PAGE_ENTRY = fileURLToPath(new URL('./fixtures/worker-page.ts', import.meta.url));
const WORKER_SCRIPT = createRequire(import.meta.url).resolve('msw/mockServiceWorker.js');
const SESSION_PATH = `${BASE_PATH}/browser-session`;
const WEATHER_PATH = `${SESSION_PATH}/weather%2Fapi%20v1`;

// The empty icon keeps Chromium from requesting /favicon.ico.
const PAGE_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <link rel="icon" href="data:,">
    <title>msw worker test</title>
  </head>
  <body>
    <pre id="result"></pre>
    <script type="module" src="/worker-page.js"></script>
  </body>
</html>
`;

/** What the page observed, as written by test/client/fixtures/worker-page.ts. */
interface PageResult {
  failure?: unknown;
  controller: string | null;
  integrations: { uuid: string; name: string; provider: string }[];
  providers: unknown[];
  created: Record<string, unknown>;
  createdEtag: string | null;
  read: Record<string, unknown>;
  missing: Record<string, unknown>;
}

/** Bundles the page script for the browser in memory and returns its code. */
async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [PAGE_ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild returned no output file for the page');

  return output.text;
}

/**
 * Serves the page, its bundle and msw's worker script on 127.0.0.1 and records every requested
 * path. Anything else, the API paths included, gets a 404, so only the worker can respond to API requests.
 */
async function startPageServer(bundle: string, requested: string[]): Promise<Server> {
  const workerScript = await readFile(WORKER_SCRIPT, 'utf8');
  const files = new Map([
    ['/', { type: 'text/html; charset=utf-8', body: PAGE_HTML }],
    ['/worker-page.js', { type: 'text/javascript; charset=utf-8', body: bundle }],
    ['/mockServiceWorker.js', { type: 'text/javascript; charset=utf-8', body: workerScript }],
  ]);
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    requested.push(`${request.method} ${path}`);
    const file = files.get(path);
    if (file === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`No file at ${path}`);
      return;
    }
    response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' });
    response.end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return server;
}

/**
 * Runs `createMockHandlers` under msw's `setupWorker` in Debian's Chromium, driven by
 * playwright-core. `.ci/run` installs the browser. A machine without it fails here rather than
 * skipping, so CI cannot pass without it.
 */
describe('createMockHandlers with setupWorker in Chromium', () => {
  const requested: string[] = [];
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const apiResponses: string[] = [];
  let server: Server | undefined;
  let browser: Browser | undefined;
  let origin: string;
  let result: PageResult;

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing; run apt-get install chromium`).toBe(true);
    server = await startPageServer(await bundlePage(), requested);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const page: Page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error')
        consoleErrors.push(`${message.text()} at ${message.location().url}`);
    });
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (!url.pathname.startsWith(BASE_PATH)) return;
      const source = response.fromServiceWorker() ? 'worker' : 'network';
      apiResponses.push(
        `${response.request().method()} ${url.pathname} ${response.status()} ${source}`,
      );
    });
    await page.goto(`${origin}/`);
    await page.waitForSelector('#result[data-done]', { state: 'attached', timeout: 15_000 });
    result = JSON.parse((await page.locator('#result').textContent()) ?? '') as PageResult;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => {
      if (server === undefined) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  });

  it('runs every call without a failure', () => {
    expect(result.failure).toBeUndefined();
    expect(result.controller).toBe(`${origin}/mockServiceWorker.js`);
  });

  it('lists the seeded integrations and the provider', () => {
    expect(result.integrations).toEqual([
      { uuid: 'weather/api v1', name: 'Weather API', provider: 'memory:scratch' },
      { uuid: 'chinook', name: 'Chinook Music Store', provider: 'memory:scratch' },
    ]);
    expect(result.providers).toEqual([
      {
        id: 'memory:scratch',
        display_name: 'Scratch',
        provider_type: 'memory',
        slug: 'scratch',
        mutable: true,
      },
    ]);
  });

  it('adds a resource and reads it back', () => {
    const expected = {
      resource_type: 'example',
      resource_id: 'oslo',
      integration: 'weather/api v1',
      query: 'Forecast for Oslo',
      code: 'weather.forecast("Oslo")',
    };

    expect(result.created).toEqual(expected);
    expect(result.createdEtag).toMatch(/^"[^"]+"$/);
    expect(result.read).toEqual(expected);
  });

  it('rejects an unknown integration with integration_not_found', () => {
    expect(result.missing).toEqual({
      name: 'IntegrationsApiError',
      isIntegrationsApiError: true,
      instanceOfIntegrationsApiError: true,
      status: 404,
      code: 'integration_not_found',
      detail: 'Integration "missing" was not found',
      method: 'GET',
      url: `${origin}${SESSION_PATH}/missing`,
    });
  });

  it('handles every API request in the worker', () => {
    expect(apiResponses).toEqual([
      `GET ${SESSION_PATH} 200 worker`,
      `POST ${WEATHER_PATH}/new 201 worker`,
      `GET ${WEATHER_PATH}/any/oslo 200 worker`,
      `GET ${SESSION_PATH}/missing 404 worker`,
    ]);
    expect(requested.filter((line) => line.includes(BASE_PATH))).toEqual([]);
    expect(requested).toEqual(['GET /', 'GET /worker-page.js', 'GET /mockServiceWorker.js']);
  });

  it('raises no page errors', () => {
    expect(pageErrors).toEqual([]);
    // Chromium logs a console error for each 4xx or 5xx response, the worker's mocked 404 included.
    expect(consoleErrors).toEqual([
      `Failed to load resource: the server responded with a status of 404 () at ${origin}${SESSION_PATH}/missing`,
    ]);
  });
});
