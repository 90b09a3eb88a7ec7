// The files the npm scripts run exist: a script that names a moved file fails only when someone runs it (the
// bench did: its child server pointed at functions/src/local/main.ts after issue 18 moved it to entry/local/).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

describe('npm scripts', () => {
  it('name only files that exist', () => {
    const manifests = ['package.json', 'bench/package.json', 'functions/package.json', 'web/package.json'];
    const missing: string[] = [];
    let checked = 0;
    for (const m of manifests.filter((f) => existsSync(join(ROOT, f)))) {
      const dir = join(ROOT, m, '..');
      const scripts = (
        JSON.parse(readFileSync(join(ROOT, m), 'utf8')) as { scripts?: Record<string, string> }
      ).scripts;
      for (const [name, command] of Object.entries(scripts ?? {}))
        for (const token of command.split(/\s+/))
          if (/^[\w./-]+\.(ts|mts|mjs|js|sh)$/.test(token) && !token.startsWith('-')) {
            checked++;
            if (!existsSync(join(dir, token))) missing.push(`${m} ${name}: ${token}`);
          }
    }
    expect(checked).toBeGreaterThan(5);
    expect(missing).toEqual([]);
  });
});
