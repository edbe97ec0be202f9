import { configDefaults, defineConfig } from 'vitest/config';

// Files that run alone, after the rest, because other files' load would break what they check:
// a timing comparison (is an unknown name as slow as a known one?), and live encoders that must
// keep up with real time for every frame to arrive.
const ALONE = ['test/recorder/enumeration.test.ts', 'test/camera/stream/live-pattern.test.ts'];

// Most files wait on child processes, sockets and timers rather than the CPU: more of them at once
// than there are cores keeps the machine busy (measured on 2 cores: see README, "Tests").
const WORKERS = Number(process.env.VIGIL_TEST_WORKERS ?? 4);

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'parallel', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...ALONE], maxWorkers: WORKERS },
      },
      {
        extends: true,
        test: { name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
