// Helpers over a temporary data folder: hashing its contents (to prove "nothing written") and grepping it.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { ObjectStore } from '@scorecard/functions/ports/object-store.ts';

export function tempDir(prefix = 'scorecard-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: string[] = [];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

/**
 * A hash of every file outside audit/ (and the store's scratch folder): equal hashes = nothing written.
 * `alsoSkip` names derived folders a background job may rewrite meanwhile (marts/).
 */
export function hashExceptAudit(root: string, alsoSkip: string[] = []): string {
  const h = createHash('sha256');
  for (const f of listFiles(root)) {
    if (f.startsWith('audit/') || f.startsWith('.tmp/') || alsoSkip.some((p) => f.startsWith(p))) continue;
    h.update(f)
      .update('\0')
      .update(readFileSync(join(root, f)))
      .update('\0');
  }
  return h.digest('hex');
}

/** Files whose bytes contain the needle (as UTF-8). */
export function grepFiles(root: string, needle: string): string[] {
  const n = Buffer.from(needle, 'utf8');
  return listFiles(root).filter((f) => readFileSync(join(root, f)).includes(n));
}

/**
 * The tables of any store (curated/, restricted/) copied into a local data folder DuckDB reads: the keys mean the
 * same in both layouts, so a store on the S3 stand-in can be checked with the warehouse.
 */
export async function downloadTables(store: ObjectStore, dir = tempDir('store-tables-')): Promise<string> {
  for (const prefix of ['curated/', 'restricted/'])
    for (const key of await store.list(prefix)) {
      const bytes = await store.get(key);
      if (!bytes) continue;
      mkdirSync(dirname(join(dir, key)), { recursive: true });
      writeFileSync(join(dir, key), bytes);
    }
  return dir;
}
