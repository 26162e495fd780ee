/**
 * Checks of the built package as users get it: publint and Are the Types Wrong over the packed
 * tarball, `sideEffects`, and what each entry point pulls into a bundle. Runs after
 * `npm run build`, which `npm test` does first.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { publint } from 'publint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
  sideEffects?: unknown;
  exports: Record<string, unknown>;
};
const entryPoints = Object.keys(manifest.exports).filter((key) => key !== './package.json');
const TYPE_RESOLUTIONS = ['node16-cjs', 'node16-esm', 'bundler'] as const;

interface AttwResolution {
  resolution?: { fileName: string; isTypeScript: boolean };
}

interface AttwReport {
  analysis: {
    entrypoints: Record<string, { resolutions: Record<string, AttwResolution> }>;
    problems: Array<{ kind: string; entrypoint?: string; resolutionKind?: string }>;
  };
}

interface BundleReport {
  /** npm packages whose files end up in the bundle, such as `zod`. */
  packages: string[];
  /** Imports left outside the bundle, such as `node:fs`. */
  externals: string[];
}

let workDirectory = '';
let tarball = '';

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/index.js'))) {
    throw new Error('dist/index.js is missing; run `npm run build` before this suite');
  }
  workDirectory = await mkdtemp(join(tmpdir(), 'beaker-package-'));
  const { stdout } = await run(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', workDirectory],
    { cwd: root },
  );
  const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
  tarball = join(workDirectory, packed!.filename);
}, 60_000);

afterAll(async () => {
  if (workDirectory !== '') await rm(workDirectory, { recursive: true, force: true });
});

/** Bundles one built file and lists the npm packages inside and the imports left outside. */
async function bundle(file: string, platform: 'neutral' | 'browser'): Promise<BundleReport> {
  const result = await build({
    entryPoints: [join(root, file)],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform,
    mainFields: ['module', 'main'],
    // Left outside the bundle, so that the checks list them instead of failing to resolve them.
    external: ['node:*'],
    logLevel: 'silent',
  });

  return { packages: packagesIn(result.metafile), externals: externalsIn(result.metafile) };
}

function packagesIn(metafile: Metafile): string[] {
  const names = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match !== null) names.add(match[1]!);
  }

  return [...names].sort();
}

function externalsIn(metafile: Metafile): string[] {
  const paths = Object.values(metafile.outputs).flatMap((output) =>
    output.imports.filter((item) => item.external).map((item) => item.path),
  );

  return [...new Set(paths)].sort();
}

describe('package manifest', () => {
  it('declares sideEffects false', () => {
    expect(manifest.sideEffects).toBe(false);
  });

  it('passes publint without messages', async () => {
    const { messages } = await publint({ pkgDir: root, level: 'suggestion', pack: 'npm' });

    expect(messages).toEqual([]);
  });
});

describe('types of every entry point', () => {
  let report: AttwReport;

  beforeAll(async () => {
    const { stdout } = await run(
      'npx',
      ['attw', tarball, '--format', 'json', '--profile', 'node16', '--no-definitely-typed'],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 },
    );
    report = JSON.parse(stdout) as AttwReport;
  }, 120_000);

  it('reports no problem under node16 and bundler resolution', () => {
    // The node16 profile leaves out node10, which predates `exports` and cannot see subpaths.
    const problems = report.analysis.problems.filter(
      (problem) => problem.resolutionKind !== 'node10',
    );

    expect(problems).toEqual([]);
  });

  it.each(entryPoints)('resolves %s to declarations for ESM and CJS', (entryPoint) => {
    const resolutions = report.analysis.entrypoints[entryPoint]?.resolutions ?? {};

    for (const kind of TYPE_RESOLUTIONS) {
      const resolution = resolutions[kind]?.resolution;
      expect(resolution?.isTypeScript, `${entryPoint} under ${kind}`).toBe(true);
      expect(resolution?.fileName, `${entryPoint} under ${kind}`).toMatch(
        kind === 'node16-cjs' ? /\.d\.cts$/ : /\.d\.ts$/,
      );
    }
  });
});

describe('imports of each entry point', () => {
  it('keeps the core to zod and Web APIs', async () => {
    const report = await bundle('dist/index.js', 'neutral');

    expect(report.externals).toEqual([]);
    expect(report.packages).toEqual(['zod']);
  });

  it('keeps the server to zod, itty-router and Web APIs', async () => {
    const report = await bundle('dist/server/index.js', 'neutral');

    expect(report.externals).toEqual([]);
    expect(report.packages).toEqual(['itty-router', 'zod']);
  });

  it('keeps the client to ky and Web APIs', async (context) => {
    const file = 'dist/client/index.js';
    context.skip(
      !existsSync(join(root, file)),
      `${file} is not built: the client entry is not in tsup.config.ts yet`,
    );
    const report = await bundle(file, 'browser');

    expect(report.externals).toEqual([]);
    expect(report.packages).toEqual(['ky']);
  });
});

describe('runtime examples', () => {
  const serveStandIns = globalThis as { Bun?: unknown; Deno?: unknown };
  afterAll(() => {
    delete serveStandIns.Bun;
    delete serveStandIns.Deno;
  });

  async function listIntegrations(fetchHandler: (request: Request) => Promise<Response>) {
    const response = await fetchHandler(new Request('http://localhost/beaker/integrations/s1'));

    return { status: response.status, body: await response.json() };
  }

  const scratchList = {
    integrations: {},
    providers: [
      {
        id: 'memory:scratch',
        display_name: 'Scratch space',
        provider_type: 'memory',
        slug: 'scratch',
        mutable: true,
      },
    ],
  };

  it('serves the handler from the Worker module', async () => {
    const { default: worker } = await import('../../examples/runtimes/worker.js');
    const fetchHandler = (request: Request) => worker.fetch(request, {}, { waitUntil: () => {} });

    expect(await listIntegrations(fetchHandler)).toEqual({ status: 200, body: scratchList });
    const document = await fetchHandler(new Request('http://localhost/beaker/openapi.json'));
    expect(document.status).toBe(200);
    expect((await document.json()).openapi).toBe('3.1.0');
  });

  // Bun and Deno are not installed here, so a stand-in for their `serve` captures the fetch
  // function that each example passes, and the test calls it as the runtime would.
  it('passes the handler to Bun.serve', async () => {
    let captured: { fetch(request: Request): Promise<Response>; port?: number } | undefined;
    serveStandIns.Bun = {
      env: { PORT: '0' },
      serve(options: typeof captured) {
        captured = options;
        return { hostname: '127.0.0.1', port: 0, stop() {} };
      },
    };
    await import('../../examples/runtimes/bun.js');

    expect(captured?.port).toBe(0);
    expect(await listIntegrations((request) => captured!.fetch(request))).toEqual({
      status: 200,
      body: scratchList,
    });
  });

  it('passes the handler to Deno.serve', async () => {
    let captured: ((request: Request) => Promise<Response>) | undefined;
    let address: { hostname?: string; port?: number } | undefined;
    serveStandIns.Deno = {
      env: { get: (name: string) => (name === 'PORT' ? '0' : undefined) },
      serve(options: typeof address, handler: typeof captured) {
        address = options;
        captured = handler;
        return { finished: Promise.resolve(), shutdown: async () => {} };
      },
    };
    await import('../../examples/runtimes/deno.js');

    expect(address).toEqual({ hostname: '127.0.0.1', port: 0 });
    expect(await listIntegrations((request) => captured!(request))).toEqual({
      status: 200,
      body: scratchList,
    });
  });
});
