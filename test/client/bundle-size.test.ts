import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ENTRY = fileURLToPath(new URL('../../src/client/index.ts', import.meta.url));
const ROOT_ENTRY = fileURLToPath(new URL('../../src/core/index.ts', import.meta.url));

/**
 * Largest accepted size in bytes of the client bundle with ky external, gzipped at level 9: the
 * budget of 1.5 KiB for this package's own browser code on top of ky.
 */
const OWN_CODE_BUDGET_BYTES = 1536;

async function bundle(external: string[], entry: BuildOptions = { entryPoints: [ENTRY] }) {
  const result = await build({
    ...entry,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    external,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;

  return {
    inputs: Object.keys(result.metafile.inputs),
    gzipped: gzipSync(code, { level: 9 }).byteLength,
  };
}

describe('client bundle', () => {
  it('leaves zod out and stays within budget with ky external', async () => {
    const { inputs, gzipped } = await bundle(['ky']);

    expect(inputs.filter((input) => input.includes('node_modules/'))).toEqual([]);
    expect(inputs).toContain('src/core/routes.ts');
    expect(inputs).not.toContain('src/core/schemas.ts');
    expect(gzipped).toBeLessThanOrEqual(OWN_CODE_BUDGET_BYTES);
  });

  it('leaves zod out with ky bundled in', async () => {
    const { inputs } = await bundle([]);

    expect(inputs.filter((input) => input.includes('node_modules/zod'))).toEqual([]);
    expect(inputs.some((input) => input.includes('node_modules/ky/'))).toBe(true);
  });

  it('contains zod once a caller passes the schemas for validation', async () => {
    const contents = [
      `import { createIntegrationsClient } from ${JSON.stringify(ENTRY)};`,
      `import { routeSchemas } from ${JSON.stringify(ROOT_ENTRY)};`,
      'export const client = createIntegrationsClient({',
      "  baseUrl: '/beaker/integrations', sessionId: 's1', validateResponses: routeSchemas,",
      '});',
    ].join('\n');
    const { inputs } = await bundle(['ky'], { stdin: { contents, resolveDir: '.', loader: 'ts' } });

    expect(inputs.some((input) => input.includes('node_modules/zod/'))).toBe(true);
  });
});
