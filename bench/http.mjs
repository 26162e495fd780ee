/**
 * Loopback HTTP benchmark: R1 and R2 through the handler, through the Hono version, through the
 * minimal fetch function behind @hono/node-server, and through a bare node:http server,
 * measured with autocannon in one run. Each server runs in a child process
 * and autocannon in this one. Rounds alternate the order of the servers, and the per-second
 * request counts of all rounds are pooled. Prints one JSON object to stdout.
 *
 * Run with `node bench/http.mjs` after `npm run build`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { BASE_PATH, idsOf, SESSION, summarize } from './fixtures.mjs';

const KINDS = ['handler', 'hono', 'adapter', 'bare'];
const ROUNDS = 2;
const CONNECTIONS = 10;
const WARMUP_SECONDS = 1;
const DURATION_SECONDS = 4;
const START_TIMEOUT_MS = 15_000;
const paths = {
  R1: `${BASE_PATH}/${SESSION}`,
  R2: `${BASE_PATH}/${SESSION}/${idsOf(0).integration}`,
};
const serverScript = fileURLToPath(new URL('./http-server.mjs', import.meta.url));

async function startServer(kind) {
  const child = spawn(process.execPath, [serverScript, kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const timeout = setTimeout(() => child.kill(), START_TIMEOUT_MS);
  try {
    const [line] = await Promise.race([
      once(lines, 'line'),
      once(child, 'exit').then(() => {
        throw new Error(`The ${kind} server exited before it listened`);
      }),
    ]);

    return { child, port: JSON.parse(line).port };
  } finally {
    clearTimeout(timeout);
  }
}

async function stopServer(child) {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** Runs autocannon once and returns the request count of each whole second. */
async function load(url) {
  const counts = [];
  const instance = autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    warmup: { connections: CONNECTIONS, duration: WARMUP_SECONDS },
  });
  instance.on('tick', ({ counter }) => counts.push(counter));
  const result = await instance;
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${url}: ${result.errors} errors and ${result.non2xx} non-2xx responses`);
  }

  return { counts: counts.slice(-DURATION_SECONDS), latencyP50: result.latency.p50 };
}

const samples = Object.fromEntries(
  KINDS.map((kind) => [kind, { R1: [], R2: [], latencyR1: [], latencyR2: [] }]),
);
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? KINDS : [...KINDS].reverse();
  for (const kind of order) {
    const { child, port } = await startServer(kind);
    try {
      for (const [route, path] of Object.entries(paths)) {
        const { counts, latencyP50 } = await load(`http://127.0.0.1:${port}${path}`);
        samples[kind][route].push(...counts);
        samples[kind][`latency${route}`].push(latencyP50);
      }
    } finally {
      await stopServer(child);
    }
    process.stderr.write(`http round ${round + 1} ${kind} done\n`);
  }
}

const servers = {};
for (const kind of KINDS) {
  servers[kind] = {};
  for (const route of Object.keys(paths)) {
    servers[kind][route] = {
      ...summarize(samples[kind][route]),
      latencyP50: summarize(samples[kind][`latency${route}`]).median,
    };
  }
}
process.stdout.write(
  `${JSON.stringify({ connections: CONNECTIONS, seconds: DURATION_SECONDS, rounds: ROUNDS, servers })}\n`,
);
