/**
 * In-process benchmark of every route: the handler against a direct context call (the overhead
 * ratio) and against the same routes written with Hono (the throughput ratio). Each variant runs
 * on a fresh context with the same seed data, and `prepare` work happens outside the timed part.
 * Prints one JSON object to stdout; times are nanoseconds per call.
 *
 * Run with `node --expose-gc bench/in-process.mjs` after `npm run build`.
 */
import { createIntegrationsHandler } from 'beaker-integrations/server';
import { measure } from 'mitata';
import { createContext, routeCases } from './fixtures.mjs';
import { createHonoApp } from './hono-app.mjs';

const SEED_INTEGRATIONS = 20;
const MIN_CPU_TIME_NS = 500e6;
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
  const stats = await measure(
    function* () {
      yield {
        0: prepare,
        bench: (value) => call(value),
      };
    },
    { min_cpu_time: MIN_CPU_TIME_NS, gc: globalThis.gc ?? false },
  );

  return {
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
  for (const variant of order) result[variant] = await measureVariant(routeCase, variant);
  routes.push(result);
  process.stderr.write(`in-process ${routeCase.id} done\n`);
}

process.stdout.write(`${JSON.stringify({ seedIntegrations: SEED_INTEGRATIONS, routes })}\n`);
