// Every document a code comment cites is in the repository (issue 18, part 3): comments point at
// docs/<file>.md, never at a specification kept elsewhere. Scans every source file of every workspace.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SOURCES = ['functions', 'web', 'data-contracts', 'infra', 'sql', 'tests', 'bench', 'scripts'];

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    if (e === 'node_modules' || e === 'dist' || e === 'cdk.out' || e.startsWith('.')) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(ts|tsx|mjs|sql)$/.test(e)) out.push(p);
  }
  return out;
}

describe('documents cited by the code', () => {
  it('exist in the repository: docs/<name>.md for the rules, and no citation of a bare spec file', () => {
    const missing: string[] = [];
    const bare: string[] = [];
    for (const file of SOURCES.flatMap((d) => files(join(ROOT, d)))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/docs\/([\w-]+\.md)/g)) {
        try {
          statSync(join(ROOT, 'docs', m[1] as string));
        } catch {
          missing.push(`${relative(ROOT, file)}: docs/${m[1]}`);
        }
      }
      for (const m of text.matchAll(
        /(?<![/\w-])(kpis|contracts|interfaces|cycle|mission|tech-notes|style)\.md/g,
      ))
        bare.push(`${relative(ROOT, file)}: ${m[0]}`);
    }
    expect(missing).toEqual([]);
    expect(bare).toEqual([]);
  });
});
