import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Workspace packages are loaded from source: no build step between edit and test.
    conditions: ['source'],
  },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['scripts/vitest-global-setup.ts'],
  },
});
