import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { PreconditionFailed } from '@scorecard/functions/ports/object-store.ts';
import { describe, expect, it } from 'vitest';
import { storeConformance } from '../helpers/store-conformance.ts';

storeConformance('local folder', async () => new FsObjectStore(mkdtempSync(join(tmpdir(), 'store-'))));

describe('local folder: folders removed behind the store', () => {
  it('remembers the folders it made, yet still writes after someone removes them', async () => {
    const root = mkdtempSync(join(tmpdir(), 'store-'));
    const store = new FsObjectStore(root);
    await store.put('curated/x/year=2026/a.parquet', 'a');
    // An operator removes the year folder and the temporary folder while the process runs.
    rmSync(join(root, 'curated'), { recursive: true });
    rmSync(join(root, '.tmp'), { recursive: true });
    await store.put('curated/x/year=2026/b.parquet', 'b');
    await store.put('curated/x/year=2026/c.parquet', 'c', { ifNoneMatch: true });
    expect(await store.list('curated/x/')).toEqual([
      'curated/x/year=2026/b.parquet',
      'curated/x/year=2026/c.parquet',
    ]);
    // Create-only still refuses an existing key after the retry path.
    await expect(
      store.put('curated/x/year=2026/c.parquet', 'again', { ifNoneMatch: true }),
    ).rejects.toBeInstanceOf(PreconditionFailed);
    expect(
      new TextDecoder().decode((await store.get('curated/x/year=2026/c.parquet')) ?? new Uint8Array()),
    ).toBe('c');
  });
});
