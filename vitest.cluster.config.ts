import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the production shape (`npm run cluster`), run and broken on purpose.
// Each file starts its own cluster; they run one after the other, the machine has two cores.
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 20 * 60_000,
    hookTimeout: 5 * 60_000,
    teardownTimeout: 120_000,
  },
});
