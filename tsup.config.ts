import { defineConfig } from 'tsup';

/** One build entry per entry point of the package; the keys are the output paths in dist/. */
export const entries = {
  index: 'src/core/index.ts',
  'server/index': 'src/server/index.ts',
};

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: true,
  // Shared chunks keep one copy of each class, so `instanceof` holds across entry points.
  splitting: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  treeshake: true,
});
