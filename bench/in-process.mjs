/**
 * In-process benchmark of every route: the handler against a direct context call (the overhead
 * ratio) and against the same routes written with Hono (the throughput ratio, from the mean time
 * per call). Each variant runs on a fresh context with the same seed data, and `prepare` work
 * happens outside the timed part.
 * Prints one JSON object to stdout; times are nanoseconds per call.
 *
 * Run with `node --expose-gc bench/in-process.mjs` after `npm run build`.
 */
import { createIntegrationsHandler } from 'beaker-integrations/server';
import { measure } from 'mitata';
import { createContext, routeCases } from './fixtures.mjs';
import { createHonoApp } from './hono-app.mjs';

const SEED_INTEGRATIONS = 20;
const MIN_CPU_TIME_NS = 250e6;
const PASSES = 5;
const WARM_CALLS = 200;
const BATCH_CALLS = 256;
const VARIANTS = ['direct', 'handler', 'hono'];

function createCaller(routeCase, variant) {
  const context = createContext(SEED_INTEGRATIONS);
  const handler = createIntegrationsHandler({ context });
  const app = createHonoApp(context);
  const prepare = async () => (routeCase.prepare ? routeCase.prepare(context) : undefined);
  if (variant === 'direct') {
    return { prepare, call: (value) => routeCase.direct(context, value) };
  }
  const fetch = variant === 'handler' ? handler : (request) => app.fetch(request);

  return {
    prepare: async () => routeCase.request(await prepare()),
    call: (request) => fetch(request),
  };
}

/** Makes one call of each variant and checks the status and the body against the direct call. */
async function verify(routeCase) {
  const bodies = {};
  for (const variant of VARIANTS) {
    const { prepare, call } = createCaller(routeCase, variant);
    const result = await call(await prepare());
    if (variant === 'direct') {
      bodies[variant] = result;
      continue;
    }
    if (result.status !== routeCase.status) {
      throw new Error(
        `${routeCase.id} ${variant}: expected ${routeCase.status}, got ${result.status}`,
      );
    }
    bodies[variant] = await result.json();
  }
  // Creates generate fresh ids, so only reads and deletes can be compared field for field.
  if (routeCase.status === 200 && !['R6', 'R8'].includes(routeCase.id)) {
    const expected = JSON.stringify(bodies.direct);
    for (const variant of ['handler', 'hono']) {
      if (JSON.stringify(bodies[variant]) !== expected) {
        throw new Error(`${routeCase.id} ${variant}: body differs from the direct call`);
      }
    }
  }
}

async function measureVariant(routeCase, variant) {
  const { prepare, call } = createCaller(routeCase, variant);
  // mitata times one call per sample when the first call it makes takes over 0.5 ms, and batches
  // of calls otherwise. So one slow first call changed how a whole variant was measured: R2 of the
  // handler took 19 µs per call in one mode and 15 in the other. Warm calls first make every
  // variant run in batches.
  for (let index = 0; index < WARM_CALLS; index++) await call(await prepare());
  const stats = await measure(
    function* () {
      yield {
        0: prepare,
        bench: (value) => call(value),
      };
    },
    {
      min_cpu_time: MIN_CPU_TIME_NS,
      gc: globalThis.gc ?? false,
      // A batch builds all its requests first and keeps them alive until it ends. With mitata's
      // default of 4,096, every garbage collection in a batch copied thousands of live requests,
      // which slowed R2 by 4 µs for the handler and 6 µs for the Hono version, the more so the
      // more a variant allocates.
      batch_samples: BATCH_CALLS,
    },
  );

  return {
    avg: stats.avg,
    p25: stats.p25,
    p50: stats.p50,
    p75: stats.p75,
    min: stats.min,
    max: stats.max,
    calls: stats.ticks,
  };
}

// The first measurement of a process ran up to a third faster than later ones of the same work,
// so one measurement is made and thrown away before the ones that count.
await measureVariant(routeCases[1], 'handler');

const routes = [];
for (const [index, routeCase] of routeCases.entries()) {
  await verify(routeCase);
  // The order of the variants rotates per route, so no variant always runs first or last.
  const order = VARIANTS.map((_, offset) => VARIANTS[(index + offset) % VARIANTS.length]);
  const result = { id: routeCase.id, name: routeCase.name };
  // Each variant is measured in several passes, in turn, and the pass with the lowest mean time
  // is kept: other work on the machine only ever adds time.
  for (let pass = 0; pass < PASSES; pass++) {
    for (const variant of order) {
      const measured = await measureVariant(routeCase, variant);
      if (result[variant] === undefined || measured.avg < result[variant].avg) {
        result[variant] = measured;
      }
    }
  }
  routes.push(result);
  process.stderr.write(`in-process ${routeCase.id} done\n`);
}

process.stdout.write(`${JSON.stringify({ seedIntegrations: SEED_INTEGRATIONS, routes })}\n`);
