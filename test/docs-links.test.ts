// Every relative link in the project's Markdown leads to a file a fresh clone has: git tracks it.
// (The README once linked a design file that lived only beside the checkout.)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const tracked = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
const trackedSet = new Set(tracked);
/** A folder is there when git tracks a file inside it. */
const exists = (path: string) => trackedSet.has(path) || tracked.some((file) => file.startsWith(`${path}/`));
const markdown = tracked.filter((file) => file.endsWith('.md') && !file.includes('node_modules/'));

/** The targets of [text](target) links that stay in the repository: no scheme, no bare #anchor. */
function relativeLinks(text: string): string[] {
  const outsideCode = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, (code) => (code.startsWith('`[') ? code : ''));
  return [...outsideCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => m[1]!.replace(/^<|>$/g, ''))
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#'))
    .map((target) => decodeURIComponent(target.split('#')[0]!));
}

describe('links in the Markdown files', () => {
  it('there are Markdown files with relative links to check', () => {
    expect(markdown).toContain('README.md');
    expect(relativeLinks(readFileSync('README.md', 'utf8')).length).toBeGreaterThan(3);
  });

  it.each(markdown)('%s links only to files in the repository', (file) => {
    const missing = relativeLinks(readFileSync(file, 'utf8')).filter((target) => !exists(normalize(join(dirname(file), target)).replace(/\/$/, '')));
    expect(missing).toEqual([]);
  });
});
