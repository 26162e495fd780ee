/**
 * Data and request factories shared by the benchmarks. Everything imports the built package by
 * name, so the figures describe what users install.
 */
import { InMemoryProvider, IntegrationContext } from 'beaker-integrations';

export const BASE_PATH = '/beaker/integrations';
export const ORIGIN = 'http://127.0.0.1';
export const SESSION = 's1';

/** Builds the create payload of integration number `index`, with one file and one example. */
export function integrationPayload(index) {
  const uuid = `integration-${index}`;

  return {
    uuid,
    name: `Integration ${index}`,
    description: 'Daily figures from a public source, with a usage note and a worked example.',
    datatype: 'api',
    url: `https://data.example.org/v1/${index}`,
    resources: {
      [`${uuid}-docs`]: {
        resource_type: 'file',
        name: 'usage.md',
        filepath: 'usage.md',
        content: '# Usage\nCall /figures with an ISO date to get that day.',
      },
      [`${uuid}-example`]: {
        resource_type: 'example',
        query: 'Figures for May 2024',
        code: "client.figures(start='2024-05-01', end='2024-05-31')",
      },
    },
  };
}

/** Returns the ids of integration number `index` and of its two resources. */
export function idsOf(index) {
  const integration = `integration-${index}`;

  return { integration, example: `${integration}-example`, file: `${integration}-docs` };
}

/**
 * Creates a context over `providerCount` in-memory providers that share `count` integrations
 * round-robin. The providers are seeded through their constructor, as an application would.
 */
export function createContext(count, providerCount = 1) {
  const lists = Array.from({ length: providerCount }, () => []);
  for (let index = 0; index < count; index++) {
    lists[index % providerCount].push(integrationPayload(index));
  }
  const providers = lists.map(
    (integrations, index) =>
      new InMemoryProvider({ slug: `shelf${index}`, displayName: `Shelf ${index}`, integrations }),
  );

  return new IntegrationContext({ providers });
}

/** Builds a `Request` for a path below the session, with a JSON body when one is given. */
export function routeRequest(method, path, body) {
  const url = `${ORIGIN}${BASE_PATH}/${SESSION}${path}`;
  if (body === undefined) return new Request(url, { method });

  return new Request(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const target = idsOf(0);
const newExample = { resource_type: 'example', query: 'Figures for June', code: 'client.june()' };

/**
 * The ten routes as benchmark cases. `request` builds the HTTP request, `direct` makes the same
 * context call without HTTP, and `prepare`, when present, creates what one call consumes (the
 * item that a delete removes) outside the timed part.
 */
export const routeCases = [
  {
    id: 'R1',
    name: 'listIntegrations',
    status: 200,
    request: () => routeRequest('GET', ''),
    direct: async (context) => ({
      integrations: await context.listIntegrations(),
      providers: context.listProviders(),
    }),
  },
  {
    id: 'R2',
    name: 'getIntegration',
    status: 200,
    request: () => routeRequest('GET', `/${target.integration}`),
    direct: (context) => context.getIntegration(target.integration),
  },
  {
    id: 'R3',
    name: 'listResources',
    status: 200,
    request: () => routeRequest('GET', `/${target.integration}/all`),
    direct: async (context) => ({ resources: await context.listResources(target.integration) }),
  },
  {
    id: 'R4',
    name: 'getResource',
    status: 200,
    request: () => routeRequest('GET', `/${target.integration}/example/${target.example}`),
    direct: (context) => context.getResource(target.integration, target.example),
  },
  {
    id: 'R5',
    name: 'addIntegration',
    status: 201,
    request: () => routeRequest('POST', '', { provider: 'memory:shelf0', name: 'Tide gauges' }),
    direct: (context) => context.addIntegration('memory:shelf0', { name: 'Tide gauges' }),
  },
  {
    id: 'R6',
    name: 'updateIntegration',
    status: 200,
    request: () => routeRequest('POST', `/${target.integration}`, { description: 'Updated' }),
    direct: (context) => context.updateIntegration(target.integration, { description: 'Updated' }),
  },
  {
    id: 'R7',
    name: 'addResource',
    status: 201,
    request: () => routeRequest('POST', `/${target.integration}/new`, newExample),
    direct: (context) => context.addResource(target.integration, newExample),
  },
  {
    id: 'R8',
    name: 'updateResource',
    status: 200,
    request: () =>
      routeRequest('POST', `/${target.integration}/new/${target.example}`, { notes: 'Checked' }),
    direct: (context) =>
      context.updateResource(target.integration, target.example, { notes: 'Checked' }),
  },
  {
    id: 'R9',
    name: 'removeResource',
    status: 200,
    prepare: async (context) =>
      (await context.addResource(target.integration, newExample)).resource_id,
    request: (resourceId) => routeRequest('DELETE', `/${target.integration}/any/${resourceId}`),
    direct: async (context, resourceId) => {
      await context.removeResource(target.integration, resourceId);

      return {};
    },
  },
  {
    id: 'R10',
    name: 'removeIntegration',
    status: 200,
    prepare: async (context) =>
      (await context.addIntegration('memory:shelf0', { name: 'Short-lived' })).uuid,
    request: (integrationId) => routeRequest('DELETE', `/${integrationId}`),
    direct: async (context, integrationId) => {
      await context.removeIntegration(integrationId);

      return {};
    },
  },
];

/** Returns the median, the quartiles and the extremes of a list of numbers. */
export function summarize(values) {
  const sorted = [...values].sort((left, right) => left - right);
  const at = (share) => sorted[Math.round(share * (sorted.length - 1))];

  return { median: at(0.5), p25: at(0.25), p75: at(0.75), min: sorted[0], max: sorted.at(-1) };
}
