/**
 * Renders BENCHMARKS.md from the results of bench/run.mjs. The targets and the notes on missed
 * targets live here; the notes state what the CPU profiles of these benchmarks showed.
 */

const targets = {
  inProcess: 1,
  http: 0.85,
  scale: 1.2,
  listing: 1.5,
  clientBytes: 1.5 * 1024,
};

const micro = (nanoseconds) => (nanoseconds / 1e3).toFixed(nanoseconds < 1e5 ? 1 : 0);
const milli = (nanoseconds) => (nanoseconds / 1e6).toFixed(1);
const ratio = (value) => value.toFixed(2);
const count = (value) => Math.round(value).toLocaleString('en-US');
const met = (ok) => (ok ? 'met' : '**missed**');

function timeCell(stats, format = micro) {
  return `${format(stats.p50)} (${format(stats.p25)}–${format(stats.p75)})`;
}

function rateCell(stats) {
  return `${count(stats.median)} (${count(stats.p25)}–${count(stats.p75)})`;
}

function inProcessFigures(inProcess) {
  return inProcess.routes.map((route) => ({
    ...route,
    overhead: route.handler.p50 / route.direct.p50,
    // Throughput is the inverse of the time per call, so handler ÷ Hono throughput is this.
    versusHono: route.hono.p50 / route.handler.p50,
  }));
}

function summaryRows(results, figures) {
  const { http, scale, client } = results;
  const worstVersusHono = Math.min(...figures.map((route) => route.versusHono));
  const routesAtHono = figures.filter((route) => route.versusHono >= targets.inProcess).length;
  const httpR2 = http.servers.handler.R2.median / http.servers.bare.R2.median;
  const smallest = scale.lookups[0];
  const largest = scale.lookups.at(-1);
  const scaleR2 = largest.fixed.R2.p50 / smallest.fixed.R2.p50;
  const scaleR4 = largest.fixed.R4.p50 / smallest.fixed.R4.p50;
  const listing = scale.listing.R1.p50 / scale.listing.stringify.p50;
  const rows = [
    [
      'In-process throughput, handler ÷ Hono',
      `${routesAtHono} of ${figures.length} routes at or above 1; lowest ${ratio(worstVersusHono)}`,
      '≥ 1 on every route',
      met(routesAtHono === figures.length),
    ],
    [
      'HTTP R2 requests/s, handler ÷ bare `node:http`',
      ratio(httpR2),
      `≥ ${targets.http}`,
      met(httpR2 >= targets.http),
    ],
    [
      `R2 time, ${count(largest.count)} ÷ ${count(smallest.count)} integrations, ${scale.fixedSample} ids`,
      ratio(scaleR2),
      `≤ ${targets.scale}`,
      met(scaleR2 <= targets.scale),
    ],
    [
      `R4 time, ${count(largest.count)} ÷ ${count(smallest.count)} integrations, ${scale.fixedSample} ids`,
      ratio(scaleR4),
      `≤ ${targets.scale}`,
      met(scaleR4 <= targets.scale),
    ],
    [
      `R1 time with ${count(scale.listing.count)} integrations ÷ \`JSON.stringify\` of the listing`,
      ratio(listing),
      `≤ ${targets.listing}`,
      met(listing <= targets.listing),
    ],
  ];
  const external = client.rows['client, ky external'];
  if (external !== undefined) {
    rows.push([
      'Client code over ky, minified and gzipped',
      `${(external.gzipped / 1024).toFixed(2)} KB (${count(external.gzipped)} bytes)`,
      '≤ 1.5 KB',
      met(external.gzipped <= targets.clientBytes),
    ]);
  }

  return {
    rows,
    missed: {
      inProcess: routesAtHono < figures.length,
      http: httpR2 < targets.http,
      scale: scaleR2 > targets.scale || scaleR4 > targets.scale,
      listing: listing > targets.listing,
      client: external !== undefined && external.gzipped > targets.clientBytes,
    },
  };
}

function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);

  return lines.join('\n');
}

function inProcessSection(results, figures) {
  const rows = figures.map((route) => [
    `${route.id} ${route.name}`,
    timeCell(route.direct),
    timeCell(route.handler),
    timeCell(route.hono),
    ratio(route.overhead),
    ratio(route.versusHono),
  ]);

  return `## In process

Each route through \`handler(request)\`, through the Hono version (\`app.fetch(request)\`) and as
the direct \`IntegrationContext\` call, on a fresh context of ${results.inProcess.seedIntegrations}
integrations with two resources each. Times are µs per call: the median of mitata's samples, with
p25–p75 in brackets. Building the \`Request\` and creating what a delete removes happen outside the
timed part.

${table(
  [
    'route',
    'direct call µs',
    'handler µs',
    'Hono µs',
    'overhead (handler ÷ direct)',
    'throughput (handler ÷ Hono)',
  ],
  rows,
)}`;
}

function httpSection(http) {
  const { handler, hono, bare } = http.servers;
  const rows = [
    ['handler (@hono/node-server)', handler],
    ['Hono version (@hono/node-server)', hono],
    ['bare `node:http`', bare],
  ].map(([name, server]) => [
    name,
    rateCell(server.R1),
    ratio(server.R1.median / bare.R1.median),
    rateCell(server.R2),
    ratio(server.R2.median / bare.R2.median),
    ratio(server.R2.median / hono.R2.median),
  ]);

  return `## Over HTTP on loopback

autocannon with ${http.connections} connections against a server in a child process on
127.0.0.1: ${http.rounds} rounds of ${http.seconds} s per server and route after a 1 s warm-up,
with the order of the servers reversed in the second round. Figures are requests per second: the
median of the pooled one-second counts, with p25–p75 in brackets. The bare server calls the same
context and writes the same JSON with \`response.end\`, with no Web \`Request\` or \`Response\`.

${table(['server', 'R1 req/s', 'R1 ÷ bare', 'R2 req/s', 'R2 ÷ bare', 'R2 ÷ Hono version'], rows)}`;
}

function scaleSection(scale) {
  const rows = scale.lookups.map((size) => [
    count(size.count),
    timeCell(size.fixed.R2),
    timeCell(size.fixed.R4),
    count(size.wide.ids),
    timeCell(size.wide.R2),
    timeCell(size.wide.R4),
  ]);
  const smallest = scale.lookups[0];
  const largest = scale.lookups.at(-1);
  const growth = (sample, route) => ratio(largest[sample][route].p50 / smallest[sample][route].p50);
  const { listing } = scale;

  return `## Scale

R2 and R4 through the handler with the integrations spread over ${scale.providers} in-memory
providers, after one listing has filled the context's index. Each lookup takes the next id of a
shuffled sample drawn from all the integrations. With ${scale.fixedSample} ids at every size the
working set stays the same, so only the cost of finding an id can grow; with up to 10,000 ids the
working set grows with the data, which adds the CPU cache misses of touching more of it. Each
sample runs three times: the first pass warms up and is dropped, and of the other two the pass
with the lower R2 median is kept, since other work on the machine only adds time. Times are µs
per call, median (p25–p75).

${table(
  [
    'integrations',
    `R2 µs, ${scale.fixedSample} ids`,
    `R4 µs, ${scale.fixedSample} ids`,
    'wide sample ids',
    'R2 µs, wide',
    'R4 µs, wide',
  ],
  rows,
)}

Ratio of the largest to the smallest with ${scale.fixedSample} ids: R2 ${growth('fixed', 'R2')},
R4 ${growth('fixed', 'R4')}. With the wide sample: R2 ${growth('wide', 'R2')}, R4
${growth('wide', 'R4')}.

R1 with ${count(listing.count)} integrations: the handler takes ${timeCell(listing.R1, milli)} ms
and \`JSON.stringify\` of the same listing object ${timeCell(listing.stringify, milli)} ms, a ratio
of ${ratio(listing.R1.p50 / listing.stringify.p50)}.`;
}

function clientSection(client) {
  if (client.table === undefined) {
    return '## Client size\n\nbench/client-size.mjs was not found, so the client was not measured.';
  }
  const withKy = client.rows['client with ky'];
  const difference =
    withKy === undefined
      ? ''
      : `\n\nky alone, bundled and measured the same way, is ${count(client.ky.gzipped)} bytes ` +
        `gzipped, so the client adds ${count(withKy.gzipped - client.ky.gzipped)} bytes to a ` +
        'bundle that already has ky.';

  return `## Client size

Output of \`node bench/client-size.mjs\` (src/client/index.ts bundled by esbuild, minified ESM,
gzip level 9):

${client.table}${difference}`;
}

const notes = {
  inProcess: (results) => {
    const figures = inProcessFigures(results.inProcess);
    const span = (routes) => {
      const values = routes.map((route) => route.versusHono);

      return `${ratio(Math.min(...values))} to ${ratio(Math.max(...values))}`;
    };
    return `**In-process throughput below Hono's.** The Hono version is the smallest correct
implementation of the routes: it has no per-request timeout, body size limit, ETag, \`If-Match\`
check, write queue or \`authorize\` hook. The reads (R1 to R4) reach ${span(figures.slice(0, 4))}
of its throughput and the writes (R5 to R10) ${span(figures.slice(4))}. The CPU profiles
(\`node --cpu-prof\` of a loop over one route) show where a write spends the difference: the per-integration write queue, which needs the request's \`AbortController\`
at once (creating its signal costs about 2 µs on Node 20, mostly in \`makeTransferable\`), the
size-limited body reader (about a tenth of R6), the itty-router match, which parses the URL and
tries each route's regular expression, and the ETag hash over the response text, each a few µs,
with garbage collection taking a sixth of the time. The \`Response\` object itself is a large
share of each small request on both sides.`;
  },
  http: (results) => {
    const { handler, hono, bare } = results.http.servers;

    return `**HTTP R2 below 0.85 of bare \`node:http\`.** The bare server writes a string to Node's
response with no Web \`Request\` or \`Response\` in between. Through @hono/node-server, every
answer is a Web \`Response\` that the adapter copies into Node's response, and reading
\`request.signal\` builds a whole Web \`Request\`. The Hono version behind the same adapter reaches
${ratio(hono.R2.median / bare.R2.median)} of the bare server on R2 and the handler
${ratio(handler.R2.median / bare.R2.median)}. The rest of the handler's gap is its own work per
request: the ETag hash (about a tenth of R2's requests per second in an A/B run, within the noise
of this machine), the itty-router match and the timeout timer.`;
  },
  scale: `**Lookups above 1.2 times flat.** Each lookup is one \`Map\` access in the context's index
and one in the provider, so the work per request does not grow with the data. What grows is where
that work lands: with 100,000 integrations the two \`Map\`s and the stored integrations spread over
more memory, so even the 100 sampled ids miss the CPU caches more often than when they are the
whole data set, and each major garbage collection marks a larger heap. Both show as time per
request. Other work on the machine adds to whichever size it overlaps, which the spread in
brackets shows.`,
  listing: `**R1 above 1.5 times \`JSON.stringify\`.** The in-memory provider deep-copies every
integration it lists, so that a caller who changes a returned object cannot change the store, and
the copy costs about as much as the serialization. Replacing \`structuredClone\` with a plain
key-by-key copy cut the copy several times over; removing it would need shared frozen objects,
which changes the provider's promise that returned values may be changed freely.`,
  client: `**Client above 1.5 KB over ky.** The client is not part of this benchmark work; its
size is reported as measured.`,
};

const edits = `## Changes made from the profiles

- \`src/server/handler.ts\`: the provider timeout used \`AbortSignal.any\` over a timer's signal
  and the request's signal. On Node 20 that call measured about 12 µs, a third of a small request.
  One \`AbortController\` that the timer and the request's \`abort\` event both abort does the
  same; R4 in a profiling loop, which also builds each \`Request\`, went from about 44 µs to
  about 30 µs per request.
- \`src/server/handler.ts\` and \`src/core/context.ts\`: providers get their call options with
  the signal behind a getter, and the controller, with its watch on \`request.signal\`, starts
  only when a provider reads it. Through @hono/node-server, reading \`request.signal\` builds a
  whole Web \`Request\`; R2 over loopback went from about 12,000 to about 18,000 requests per
  second in an A/B run. In process, reads stayed level and writes, whose write queue reads the
  signal anyway, lost 4 to 7 µs.
- \`src/server/params.ts\`: a path segment without \`%\` skips \`decodeURIComponent\`, and one too
  short to exceed 512 bytes skips measuring its UTF-8 length.
- \`src/core/memory-provider.ts\` and \`src/core/copy.ts\`: the in-memory provider copies plain
  data key by key and leaves other objects to \`structuredClone\`. Copying 10,000 listed
  integrations took 125–210 ms with \`structuredClone\` and 20–35 ms key by key, in two runs.`;

/** Renders the whole report as Markdown. */
export function renderReport(results) {
  const { machine } = results;
  const figures = inProcessFigures(results.inProcess);
  const summary = summaryRows(results, figures);
  const missedNotes = Object.entries(summary.missed)
    .filter(([, missed]) => missed)
    .map(([key]) => (typeof notes[key] === 'function' ? notes[key](results) : notes[key]));

  return `# Benchmarks

Written by \`npm run bench\` (bench/run.mjs), which builds the package and measures the built
dist/ as users get it. Do not edit this file by hand; run the command again.

- Run: ${results.started}, ${results.minutes.toFixed(1)} minutes
- Machine: ${machine.model}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}
- Node: ${machine.node}

The machine was shared with other work (test suites of other parts of the project) during the
run, so absolute figures move from run to run. That is why every target is a ratio of two
figures measured side by side in the same run, and why each figure gives its spread.

## Targets

${table(['figure', 'measured', 'target', 'result'], summary.rows)}

${inProcessSection(results, figures)}

${httpSection(results.http)}

${scaleSection(results.scale)}

${clientSection(results.client)}

## Missed targets

${missedNotes.length === 0 ? 'None in this run.' : missedNotes.join('\n\n')}

${edits}
`;
}
