import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FileSystemProvider } from '../../src/server/filesystem/index.js';
import { callOptions, collectingLogger, createRoot, type TemporaryRoot } from './fixtures/roots.js';

const testFolder = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(testFolder, '../..');
const BUILT_ENTRY = path.join(projectRoot, 'dist/server/filesystem/index.js');
const CHILD = path.join(testFolder, 'fixtures/crash-writer.mjs');
const KILLS = 5;
/** Time the child writes after it is ready and before it is killed, in ms. */
const MIN_DELAY_MS = 60;
const MAX_DELAY_MS = 240;
const FILLER = 'x'.repeat(256 * 1024);

/** Returns the value that content in the child's format names at both ends, or undefined when torn. */
function valueOfContent(content: string): string | undefined {
  const match = /^BEGIN (\S+)\n(x*)\nEND (\S+)\n$/.exec(content);
  if (match === null || match[1] !== match[3] || match[2] !== FILLER) return undefined;

  return match[1];
}

/** Orders values `r<run>s<step>` as the child writes them, so "not older than" can be checked. */
function order(value: string): number {
  const match = /^r(\d+)s(\d+)$/.exec(value);
  if (match === null) return -1;

  return Number(match[1]) * 1_000_000 + Number(match[2]);
}

/** A deterministic sequence of delays (a linear congruential generator with a fixed seed). */
function delays(count: number): number[] {
  let state = 20_240_501;
  return Array.from({ length: count }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;

    return MIN_DELAY_MS + (state % (MAX_DELAY_MS - MIN_DELAY_MS));
  });
}

/** Starts a child, waits until it is ready, lets it write for `delay` ms, then kills it. */
async function runAndKill(root: string, run: number, delay: number): Promise<string[]> {
  const child: ChildProcess = spawn(process.execPath, [CHILD, root, String(run)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  let errors = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  // `close` comes after the process ended and its pipes closed, so every acknowledgement, written
  // synchronously to a pipe before the kill, has arrived by then.
  const closed = new Promise<NodeJS.Signals | number | null>((resolve) => {
    child.on('close', (code, signal) => resolve(signal ?? code));
  });

  const started = Date.now();
  while (!output.includes('ready\n')) {
    if (Date.now() - started > 10_000) throw new Error(`The child never got ready: ${errors}`);
    if (child.exitCode !== null) throw new Error(`The child exited early: ${errors}`);
    await sleep(5);
  }
  await sleep(delay);
  child.kill('SIGKILL');
  const ending = await closed;
  children.delete(child);

  expect(ending).toBe('SIGKILL');
  expect(errors).toBe('');

  return output.split('\n').filter((line) => line.startsWith('ack '));
}

const children = new Set<ChildProcess>();

describe('FileSystemProvider killed in the middle of writes', () => {
  let disk: TemporaryRoot;

  beforeAll(() => {
    // `npm test` builds before it runs vitest; a bare `vitest run` may not have.
    if (!existsSync(BUILT_ENTRY))
      execFileSync('npx', ['tsup'], { cwd: projectRoot, stdio: 'ignore' });
  });
  afterEach(() => {
    for (const child of children) child.kill('SIGKILL');
    children.clear();
  });
  afterAll(() => disk?.remove());

  it(`keeps every file whole and every acknowledged write over ${KILLS} kills`, async ({
    annotate,
  }) => {
    disk = await createRoot();
    const setup = new FileSystemProvider({ root: disk.root, slug: 'crash' });
    const options = callOptions();
    await setup.addIntegration(
      {
        uuid: 'crash-0',
        slug: 'crash_0',
        name: 'Crash 0',
        description: 'initial',
        datatype: 'api',
        resources: {
          example: {
            resource_type: 'example',
            resource_id: 'example',
            integration: 'crash-0',
            query: 'q',
            code: 'initial',
          },
        },
      },
      options,
    );
    await setup.addIntegration(
      {
        uuid: 'crash-1',
        slug: 'crash_1',
        name: 'Crash 1',
        description: '',
        datatype: 'api',
        resources: {
          doc: {
            resource_type: 'file',
            resource_id: 'doc',
            integration: 'crash-1',
            name: 'doc',
            filepath: 'doc.txt',
            content: `BEGIN r0s0\n${FILLER}\nEND r0s0\n`,
          },
        },
      },
      options,
    );
    await setup.addIntegration(
      { uuid: 'crash-2', slug: 'crash_2', name: 'Crash 2', description: '', datatype: 'api' },
      options,
    );

    const latest = new Map<string, string>();
    const added = new Set<string>();
    let acknowledged = 0;
    let lost = 0;
    let kills = 0;

    for (const [index, delay] of delays(KILLS).entries()) {
      const acks = await runAndKill(disk.root, index + 1, delay);
      kills += 1;
      acknowledged += acks.length;
      for (const line of acks) {
        const [, item, value] = line.split(' ') as [string, string, string];
        if (item === 'crash-2.add') added.add(value);
        else latest.set(item, value);
      }

      // Every api.yaml parses, and a fresh provider loads every folder without a warning.
      for (const folder of ['crash_0', 'crash_1', 'crash_2']) {
        const text = await readFile(path.join(disk.specifications, folder, 'api.yaml'), 'utf8');
        expect(() => parse(text)).not.toThrow();
      }
      const log = collectingLogger();
      const reader = new FileSystemProvider({ root: disk.root, slug: 'crash', logger: log.logger });
      const crash0 = await reader.getIntegration('crash-0', options);
      const crash1 = await reader.getIntegration('crash-1', options);
      const crash2 = await reader.getIntegration('crash-2', options);
      expect(log.warnings).toEqual([]);

      // Each value on disk is whole, and not older than the last acknowledged one.
      const onDisk = {
        'crash-0.description': crash0.description,
        'crash-0.example': crash0.resources.example?.code as string,
        'crash-1.doc': valueOfContent(crash1.resources.doc?.content as string) ?? 'torn',
      };
      for (const [item, value] of Object.entries(onDisk)) {
        expect(value === 'initial' || order(value) >= 0).toBe(true);
        const acked = latest.get(item);
        if (acked !== undefined && order(value) < order(acked)) lost += 1;
      }
      for (const value of added) {
        if (crash2.resources[`file-${value}`] === undefined) lost += 1;
      }
      for (const resource of Object.values(crash2.resources)) {
        expect(valueOfContent(resource.content as string)).toBe(resource.name);
      }
    }

    const leftovers = (await readdir(disk.specifications, { recursive: true })).filter((name) =>
      name.endsWith('.tmp'),
    );
    await annotate(
      `${kills} kills, ${acknowledged} acknowledged writes, ${lost} lost, ${leftovers.length} temporary files left`,
    );
    expect(acknowledged).toBeGreaterThan(0);
    expect({ kills, lost }).toEqual({ kills: KILLS, lost: 0 });
  });
});
