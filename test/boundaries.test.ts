// The import boundaries of DESIGN.md §5, as .dependency-cruiser.mjs states them: the real tree keeps
// them, and a fixture tree that crosses each one shows the rules really fail.
import { join } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../src/shared/package-info.js';

const ROOT = packageRoot();

/** Every violation of the repository's configuration in `roots`, as "rule: from -> to" lines. */
async function boundaryViolations(baseDir: string, roots: string[]): Promise<string[]> {
  const options = await extractDepcruiseOptions(join(ROOT, '.dependency-cruiser.mjs'));
  const { output } = await cruise(roots, { ...options, baseDir, validate: true });
  const result = output as ICruiseResult;
  return (result.summary.violations ?? []).map((v) => {
    // A package is named from its node_modules, wherever that is (a worktree's may be a symlink).
    const to = v.to.replace(/^.*\/node_modules\//, 'node_modules/');
    return `${v.rule.name}: ${v.from} -> ${to}${v.cycle ? ` (circle ${v.cycle.map((step) => step.name).join(' -> ')})` : ''}`;
  });
}

describe('import boundaries', () => {
  it('src/, bench/ and the web UIs cross none', async () => {
    expect(await boundaryViolations(ROOT, ['src', 'bench', 'web/src', 'web/shared', 'web/cloud'])).toEqual([]);
  });

  it('fail for each crossing, naming the rule', async () => {
    const violations = await boundaryViolations(join(ROOT, 'test/fixtures/boundaries'), ['src', 'web']);
    expect(violations.sort()).toEqual(
      [
        'api-contract-imports-no-internals: src/recorder/api/contract.ts -> src/recorder/internal.ts',
        'cloud-imports-no-media: src/cloud/leaky.ts -> src/media/leaky.ts',
        'core-imports-no-part: src/identity/leaky.ts -> src/recorder/internal.ts',
        'discovery-imports-no-part: src/discovery/leaky.ts -> src/media/leaky.ts',
        'discovery-imports-no-part: src/discovery/leaky.ts -> src/recorder/internal.ts',
        'core-imports-no-server-or-driver: src/identity/leaky.ts -> node_modules/better-sqlite3/lib/index.js',
        'core-imports-no-server-or-driver: src/identity/leaky.ts -> node_modules/fastify/fastify.js',
        'media-imports-no-part: src/media/leaky.ts -> src/identity/leaky.ts',
        'media-imports-no-part: src/media/leaky.ts -> src/recorder/internal.ts',
        'no-circular: src/recorder/circle-a.ts -> src/recorder/circle-b.ts (circle src/recorder/circle-b.ts -> src/recorder/circle-a.ts)',
        'part-imports-no-other-part: src/cloud/leaky.ts -> src/recorder/internal.ts',
        'part-imports-no-other-part: src/recover/wizard.ts -> src/recorder/internal.ts',
        'recorder-context-only-for-daemon-and-http: src/recorder/accounts/service.ts -> src/recorder/context.ts',
        'shared-imports-nothing-above: src/shared/leaky.ts -> src/media/leaky.ts',
        'web-shared-imports-no-ui: web/shared/leaky.ts -> web/src/page.ts',
        'web-ui-imports-no-other-ui: web/cloud/leaky.ts -> web/src/page.ts',
      ].sort(),
    );
  });
});
