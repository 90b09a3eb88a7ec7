// Helpers over a temporary data folder: hashing its contents (to prove "nothing written") and grepping it.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

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
