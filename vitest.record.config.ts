import { defineConfig } from 'vitest/config';

/** `npm run record-histories`: drives one family per programme and saves their histories for the replay test. */
export default defineConfig({
  test: {
    include: ['test/histories/record.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    testTimeout: 300_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
