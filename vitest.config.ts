import { defineConfig } from 'vitest/config';

// unit: pure logic, no Docker. integration: a real daemon. e2e: whole stacks through the built CLI.
// engine-restart (only with TSCOMPOSE_ENGINE_RESTART=1): restarts the engine, so it runs alone.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ['test/support/engine-setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 900_000,
          globalSetup: ['test/support/engine-setup.ts'],
          fileParallelism: false,
        },
      },
      // stops and starts the engine itself: run alone, after the rest (make test), never beside them
      ...(process.env.TSCOMPOSE_ENGINE_RESTART === '1'
        ? [
            {
              test: {
                name: 'engine-restart',
                include: ['test/engine-restart/**/*.test.ts'],
                testTimeout: 180_000,
                hookTimeout: 180_000,
                globalSetup: ['test/support/engine-setup.ts'],
                fileParallelism: false,
              },
            },
          ]
        : []),
    ],
  },
});
