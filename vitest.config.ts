import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Shared 2-core machines: keep parallelism modest so timing-sensitive sim tests stay stable.
    maxWorkers: 2,
    // Tests never use the network: `quarry serve` must not fetch the embedding model in the background.
    env: { QUARRY_EMBEDDING_DOWNLOAD: 'off' },
  },
});
