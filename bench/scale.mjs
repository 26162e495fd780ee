/**
 * Scale benchmark: R2 and R4 through the handler with 100, 10,000 and 100,000 integrations spread
 * over 10 in-memory providers, and R1 with 10,000 integrations against `JSON.stringify` of the
 * same listing. Lookups rotate through a shuffled sample of ids drawn from all the integrations.
 * R2 and R4 with 100 integrations run once more while 100,000 others sit unused in the heap.
 * A sample of 100 ids at every size keeps the working set constant, so only the cost of finding an
 * id can grow. A sample of up to 10,000 ids grows the working set with the data, so it also shows
 * CPU cache effects. Prints one JSON object to stdout; times are nanoseconds per call.
 *
 * Run with `node --expose-gc bench/scale.mjs` after `npm run build`.
 */
import { createIntegrationsHandler } from 'beaker-integrations/server';
import { measure } from 'mitata';
import { createContext, idsOf, routeRequest } from './fixtures.mjs';

const SIZES = [100, 10_000, 100_000];
const PROVIDERS = 10;
const LISTING_SIZE = 10_000;
const FIXED_SAMPLE = 100;
const WIDE_SAMPLE = 10_000;
const MIN_CPU_TIME_NS = 500e6;
const BATCH_CALLS = 256;

/** Returns up to `limit` integration indexes below `count` in a fixed pseudo-random order. */
function sampleIndexes(count, limit) {
  const indexes = Array.from({ length: count }, (_, index) => index);
  let seed = 20_240_501;
  for (let index = indexes.length - 1; index > 0; index--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const other = seed % (index + 1);
    [indexes[index], indexes[other]] = [indexes[other], indexes[index]];
  }

  return indexes.slice(0, limit);
}

async function measureCalls(makeParam, call) {
  const stats = await measure(
    function* () {
      yield { 0: makeParam, bench: (value) => call(value) };
    },
    {
      min_cpu_time: MIN_CPU_TIME_NS,
      gc: globalThis.gc ?? false,
      // mitata times one call per sample when its first call takes over 0.5 ms, which a garbage
      // collection of the large heaps here can cause, and batches otherwise. Always warming up
      // keeps every pass in batches; bench/in-process.mjs explains why they hold 256 calls.
      warmup_threshold: Number.POSITIVE_INFINITY,
      batch_samples: BATCH_CALLS,
    },
  );

  return { p25: stats.p25, p50: stats.p50, p75: stats.p75, min: stats.min, max: stats.max };
}

async function expectStatus(handler, request, status) {
  const response = await handler(request);
  if (response.status !== status) {
    throw new Error(`${request.url}: expected ${status}, got ${response.status}`);
  }
}

/**
 * Measures R2 and R4 over a sample of ids, twice, and keeps the pass with the lower R2 median:
 * other work on a shared machine only ever adds time, so the faster pass is the cleaner one. A
 * first pass is thrown away, because the first measurement of a process ran up to a third faster
 * than later ones of the same work (19 against 26 µs for R2), which favoured whichever size ran
 * first.
 */
async function measureSample(handler, sample) {
  await measurePass(handler, sample);
  const passes = [await measurePass(handler, sample), await measurePass(handler, sample)];

  return passes[0].R2.p50 <= passes[1].R2.p50 ? passes[0] : passes[1];
}

async function measurePass(handler, sample) {
  let next = 0;
  const nextIds = () => sample[next++ % sample.length];
  const getIntegration = await measureCalls(
    () => routeRequest('GET', `/${nextIds().integration}`),
    (request) => handler(request),
  );
  const getResource = await measureCalls(
    () => {
      const ids = nextIds();

      return routeRequest('GET', `/${ids.integration}/example/${ids.example}`);
    },
    (request) => handler(request),
  );

  return { R2: getIntegration, R4: getResource };
}

async function measureLookups(count) {
  const context = createContext(count, PROVIDERS);
  // A client lists the integrations (R1) before it opens one, and that listing fills the index.
  await context.listIntegrations();
  const handler = createIntegrationsHandler({ context });
  const fixed = sampleIndexes(count, FIXED_SAMPLE).map(idsOf);
  const wide = sampleIndexes(count, WIDE_SAMPLE).map(idsOf);
  await expectStatus(handler, routeRequest('GET', `/${wide[0].integration}`), 200);

  return {
    count,
    fixed: await measureSample(handler, fixed),
    wide: { ids: wide.length, ...(await measureSample(handler, wide)) },
  };
}

/**
 * Measures R2 and R4 on the smallest context while a context of the largest size lives in the
 * same heap, untouched by any request. What grows here comes from the size of the heap alone,
 * since each full garbage collection marks that bystander too.
 */
async function measureBesideLargest() {
  const bystander = createContext(SIZES.at(-1), PROVIDERS);
  await bystander.listIntegrations();
  const count = SIZES[0];
  const context = createContext(count, PROVIDERS);
  await context.listIntegrations();
  const handler = createIntegrationsHandler({ context });
  const fixed = await measureSample(handler, sampleIndexes(count, FIXED_SAMPLE).map(idsOf));

  // Reading the bystander after the measurement keeps it alive until then.
  return { count, bystander: bystander.providers.length * (SIZES.at(-1) / PROVIDERS), fixed };
}

async function measureListing() {
  const context = createContext(LISTING_SIZE, PROVIDERS);
  const handler = createIntegrationsHandler({ context });
  const listing = {
    integrations: await context.listIntegrations(),
    providers: context.listProviders(),
  };
  const response = await handler(routeRequest('GET', ''));
  if ((await response.text()) !== JSON.stringify(listing)) {
    throw new Error('R1 body differs from JSON.stringify of the same listing');
  }

  const route = await measureCalls(
    () => routeRequest('GET', ''),
    (request) => handler(request),
  );
  const stringify = await measureCalls(
    () => listing,
    (value) => JSON.stringify(value),
  );

  return { count: LISTING_SIZE, R1: route, stringify };
}

const lookups = [];
for (const count of SIZES) {
  lookups.push(await measureLookups(count));
  globalThis.gc?.();
  process.stderr.write(`scale ${count} done\n`);
}
const beside = await measureBesideLargest();
globalThis.gc?.();
process.stderr.write('scale beside the largest done\n');
const listing = await measureListing();
process.stderr.write('scale listing done\n');

process.stdout.write(
  `${JSON.stringify({ providers: PROVIDERS, fixedSample: FIXED_SAMPLE, lookups, beside, listing })}\n`,
);
