import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  InMemoryProvider,
  IntegrationContext,
  type MutableIntegrationProvider,
} from '../../../src/core/index.js';
import { FileSystemProvider } from '../../../src/server/filesystem/index.js';
import { createIntegrationsHandler } from '../../../src/server/index.js';
import { BASE_PATH, rawRequest, startServer, type TestServer } from './http.js';

const CLIENTS = 20;
const WRITES_PER_CLIENT = 10;
const SHARED_INTEGRATIONS = 5;

/** One write a client sends, and how to find it in the final state. */
interface Write {
  client: number;
  index: number;
  method: 'POST';
  path: string;
  body: Record<string, unknown>;
  /** Checks that the final state contains this write. */
  check: (state: FinalState) => boolean;
}

interface FinalState {
  integrations: Map<string, Record<string, unknown>>;
}

interface ProviderCase {
  name: string;
  providerId: string;
  /** Creates the provider, and returns it with a way to open the same data afresh. */
  open: () => Promise<{
    provider: MutableIntegrationProvider;
    reopen: () => MutableIntegrationProvider;
    cleanup: () => Promise<void>;
  }>;
}

function sharedId(client: number): string {
  return `shared-${client % SHARED_INTEGRATIONS}`;
}

/**
 * Plans the 200 writes: per client, four resource creates, two integration creates, two updates
 * of an integration field of its own, and two updates of a seeded resource. All but the creates
 * of integrations land on the five shared integrations, so writers contend for them.
 */
function planWrites(providerId: string): Write[] {
  const writes: Write[] = [];
  for (let client = 0; client < CLIENTS; client++) {
    const target = sharedId(client);
    for (let index = 0; index < WRITES_PER_CLIENT; index++) {
      const tag = `c${client}-w${index}`;
      const kind = index % 5;
      if (kind === 0 || kind === 1) {
        writes.push({
          client,
          index,
          method: 'POST',
          path: `/s1/${target}/new`,
          body: {
            resource_type: 'file',
            resource_id: `res-${tag}`,
            name: `${tag}.md`,
            content: tag,
          },
          check: (state) => {
            const resources = state.integrations.get(target)?.resources as Record<
              string,
              { content?: string }
            >;

            return resources?.[`res-${tag}`]?.content === tag;
          },
        });
      } else if (kind === 2) {
        writes.push({
          client,
          index,
          method: 'POST',
          path: '/s1',
          body: { provider: providerId, uuid: `new-${tag}`, name: `New ${tag}`, description: tag },
          check: (state) => state.integrations.get(`new-${tag}`)?.description === tag,
        });
      } else if (kind === 3) {
        writes.push({
          client,
          index,
          method: 'POST',
          path: `/s1/${target}`,
          body: { [`field_${tag.replace('-', '_')}`]: tag },
          check: (state) =>
            state.integrations.get(target)?.[`field_${tag.replace('-', '_')}`] === tag,
        });
      } else {
        writes.push({
          client,
          index,
          method: 'POST',
          path: `/s1/${target}/file/seed-${tag}`,
          body: { content: `updated ${tag}` },
          check: (state) => {
            const resources = state.integrations.get(target)?.resources as Record<
              string,
              { content?: string }
            >;

            return resources?.[`seed-${tag}`]?.content === `updated ${tag}`;
          },
        });
      }
    }
  }

  return writes;
}

/** Seeds the shared integrations, with one resource per planned resource update. */
async function seed(context: IntegrationContext, providerId: string, writes: Write[]) {
  for (let shared = 0; shared < SHARED_INTEGRATIONS; shared++) {
    await context.addIntegration(providerId, {
      uuid: `shared-${shared}`,
      name: `Shared ${shared}`,
    });
  }
  for (const write of writes) {
    const match = /\/file\/(seed-.+)$/.exec(write.path);
    if (match === null) continue;
    await context.addResource(sharedId(write.client), {
      resource_type: 'file',
      resource_id: match[1],
      name: 'seed.md',
      content: 'seed',
    });
  }
}

async function readState(context: IntegrationContext): Promise<FinalState> {
  const listed = await context.listIntegrations();
  const integrations = new Map<string, Record<string, unknown>>();
  for (const uuid of Object.keys(listed)) {
    integrations.set(uuid, (await context.getIntegration(uuid)) as Record<string, unknown>);
  }

  return { integrations };
}

const providerCases: ProviderCase[] = [
  {
    name: 'InMemoryProvider',
    providerId: 'memory:scratch',
    open: async () => {
      const provider = new InMemoryProvider({ slug: 'scratch' });

      return { provider, reopen: () => provider, cleanup: async () => undefined };
    },
  },
  {
    name: 'FileSystemProvider',
    providerId: 'filesystem:local',
    open: async () => {
      const root = await mkdtemp(path.join(tmpdir(), 'beaker-concurrency-'));

      return {
        provider: new FileSystemProvider({ root, slug: 'local' }),
        reopen: () => new FileSystemProvider({ root, slug: 'local' }),
        cleanup: () => rm(root, { recursive: true, force: true }),
      };
    },
  },
];

describe.each(providerCases)('200 concurrent writes from 20 clients to $name', (providerCase) => {
  const cleanups: Array<() => Promise<void>> = [];

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('keeps every acknowledged write', async () => {
    const { provider, reopen, cleanup } = await providerCase.open();
    const context = new IntegrationContext({ providers: [provider] });
    const writes = planWrites(providerCase.providerId);
    await seed(context, providerCase.providerId, writes);
    const server: TestServer = await startServer(createIntegrationsHandler({ context }));
    const agents = Array.from(
      { length: CLIENTS },
      () => new http.Agent({ keepAlive: true, maxSockets: 4 }),
    );
    cleanups.push(async () => {
      for (const agent of agents) agent.destroy();
      await server.close();
      await cleanup();
    });

    const responses = await Promise.all(
      writes.map((write) =>
        rawRequest(server, {
          method: write.method,
          path: BASE_PATH + write.path,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(write.body),
          agent: agents[write.client],
        }),
      ),
    );

    const acknowledged = writes.filter((_write, index) => {
      const status = responses[index]!.status;

      return status === 200 || status === 201;
    });
    const failures = responses
      .filter((response) => response.status >= 300)
      .map((response) => response.text);
    expect(failures).toEqual([]);
    expect(acknowledged).toHaveLength(CLIENTS * WRITES_PER_CLIENT);

    const served = await readState(context);
    const reopened = await readState(new IntegrationContext({ providers: [reopen()] }));
    const lostServed = acknowledged.filter((write) => !write.check(served));
    const lostReopened = acknowledged.filter((write) => !write.check(reopened));
    expect(lostServed.map((write) => write.body)).toEqual([]);
    expect(lostReopened.map((write) => write.body)).toEqual([]);
  });
});
