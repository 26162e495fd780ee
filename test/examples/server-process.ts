import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A running example server: its address, its output so far, and how to stop it. */
export interface ExampleServer {
  url: string;
  dataDir: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Bundles the example page the way `npm run build:web` does. */
export async function buildPage(): Promise<void> {
  await build({
    entryPoints: [join(root, 'examples/web/app.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    outfile: join(root, 'examples/web/dist/app.js'),
    logLevel: 'silent',
  });
}

/**
 * Starts examples/server.ts as a child process on a free loopback port, over a copy of
 * examples/data in a temporary folder so that tests never change the shipped data.
 */
export async function startExampleServer(): Promise<ExampleServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'beaker-example-'));
  await cp(join(root, 'examples/data'), dataDir, { recursive: true });
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });

  const url = await waitForAddress(child, () => output);

  return {
    url,
    dataDir,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      const exited = new Promise<number | null>((resolve) => {
        if (child.exitCode !== null) resolve(child.exitCode);
        else child.once('exit', (code) => resolve(code));
      });
      child.kill(signal);
      const code = await exited;
      await rm(dataDir, { recursive: true, force: true });

      return code;
    },
  };
}

async function waitForAddress(child: ChildProcess, output: () => string): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const match = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output());
    if (match?.[1] !== undefined) return match[1];
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');

  throw new Error(`The example server did not start within 30 s. Its output:\n${output()}`);
}
