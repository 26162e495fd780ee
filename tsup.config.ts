import { defineConfig } from 'tsup';

/** One build entry per entry point of the package; the keys are the output paths in dist/. */
export const entries = {
  index: 'src/core/index.ts',
  'server/index': 'src/server/index.ts',
  'server/filesystem/index': 'src/server/filesystem/index.ts',
  'client/index': 'src/client/index.ts',
  'client/mock': 'src/client/mock.ts',
};

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: true,
  // Shared chunks keep one copy of each class, so `instanceof` works across entry points.
  splitting: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  treeshake: true,
  // msw is a devDependency that only the mock entry imports; it must never be bundled into dist.
  external: ['msw'],
});
