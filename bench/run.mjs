/**
 * `npm run bench`: builds the package, runs every benchmark against the built dist/ and writes
 * BENCHMARKS.md. Each benchmark runs in its own Node process, one after the other, so that one
 * part's heap does not weigh on the next.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { cpus, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { renderReport } from './report.mjs';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const PART_TIMEOUT_MS = 10 * 60 * 1000;
const MAX_BUFFER = 16 * 1024 * 1024;

async function buildPackage() {
  process.stderr.write('bench: npm run build\n');
  await run('npm', ['run', 'build'], { cwd: root, maxBuffer: MAX_BUFFER });
}

/**
 * Runs one benchmark script and parses the JSON it prints. Other work in the same folder may
 * rebuild dist/ at any time, so a part that cannot find a module of dist/ gets one rebuild and
 * one more try.
 */
async function runPart(script, nodeArguments = []) {
  for (let attempt = 1; ; attempt++) {
    process.stderr.write(`bench: ${script}\n`);
    try {
      const { stdout } = await run(process.execPath, [...nodeArguments, script], {
        cwd: root,
        timeout: PART_TIMEOUT_MS,
        maxBuffer: MAX_BUFFER,
      });

      return JSON.parse(stdout);
    } catch (error) {
      const missingModule = String(error.stderr ?? '').includes('ERR_MODULE_NOT_FOUND');
      if (attempt > 1 || !missingModule) throw error;
      await buildPackage();
    }
  }
}

/** Measures ky alone the way bench/client-size.mjs measures the client, for the figure over ky. */
async function measureKyAlone() {
  const result = await build({
    stdin: { contents: "export { default } from 'ky';", resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;

  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

/** Runs bench/client-size.mjs, written with the client, and reads its table. */
async function measureClient() {
  const script = 'bench/client-size.mjs';
  if (!existsSync(`${root}/${script}`)) return { table: undefined, rows: {} };

  process.stderr.write(`bench: ${script}\n`);
  const { stdout } = await run(process.execPath, [script], { cwd: root, timeout: PART_TIMEOUT_MS });
  const rows = {};
  for (const line of stdout.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length >= 4 && /^\d+$/.test(cells[2] ?? '')) {
      rows[cells[1]] = { minified: Number(cells[2]), gzipped: Number(cells[3]) };
    }
  }

  return { table: stdout.trim(), rows, ky: await measureKyAlone() };
}

function describeMachine() {
  const processors = cpus();

  return {
    cores: processors.length,
    model: processors[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    os: `${platform()} ${release()}`,
  };
}

const started = new Date();
await buildPackage();
const results = {
  started: started.toISOString(),
  machine: describeMachine(),
  inProcess: await runPart('bench/in-process.mjs', ['--expose-gc']),
  scale: await runPart('bench/scale.mjs', ['--expose-gc']),
  http: await runPart('bench/http.mjs'),
  client: await measureClient(),
};
results.minutes = (Date.now() - started.getTime()) / 60_000;

await writeFile(`${root}/BENCHMARKS.md`, renderReport(results));
// The project's formatter aligns the tables, so the file passes `biome check` as written.
await run('npx', ['biome', 'format', '--write', 'BENCHMARKS.md'], { cwd: root });
process.stderr.write('bench: wrote BENCHMARKS.md\n');
