/**
 * Prints the size of the `beaker-integrations/client` entry point as a browser bundle: minified
 * ESM built by esbuild from src/client/index.ts, then gzipped at level 9 with node:zlib. It
 * measures twice: with ky left external (this package's own code) and with ky bundled in.
 *
 * Run: node bench/client-size.mjs
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ENTRY = new URL('../src/client/index.ts', import.meta.url).pathname;

async function measure(external) {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    external,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const inputs = Object.keys(result.metafile.inputs);

  return {
    minified: code.byteLength,
    gzipped: gzipSync(code, { level: 9 }).byteLength,
    hasZod: inputs.some((input) => input.includes('node_modules/zod')),
  };
}

const rows = [
  ['client, ky external', await measure(['ky'])],
  ['client with ky', await measure([])],
];
console.log('| bundle | minified bytes | gzipped bytes | zod included |');
console.log('| --- | ---: | ---: | --- |');
for (const [name, size] of rows) {
  console.log(`| ${name} | ${size.minified} | ${size.gzipped} | ${size.hasZod ? 'yes' : 'no'} |`);
}
