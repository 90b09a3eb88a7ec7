// The object-store conformance suite: every adapter (local folder, S3) must pass it. Call it from a test file
// with a factory that returns a fresh, empty store.

import { type ObjectStore, PreconditionFailed } from '@scorecard/functions/ports/object-store.ts';
import { describe, expect, it } from 'vitest';

export function storeConformance(name: string, makeStore: () => Promise<ObjectStore>) {
  describe(`object store conformance: ${name}`, () => {
    it('returns null for a missing key and round-trips bytes exactly', async () => {
      const s = await makeStore();
      expect(await s.get('raw/year=2026/commune=28249/v000001.json')).toBeNull();
      expect(await s.exists('raw/year=2026/commune=28249/v000001.json')).toBe(false);
      const bytes = new Uint8Array([0, 1, 2, 250, 255]);
      await s.put('curated/x/year=2026/a.parquet', bytes);
      expect(Array.from((await s.get('curated/x/year=2026/a.parquet')) ?? [])).toEqual([0, 1, 2, 250, 255]);
      expect(await s.exists('curated/x/year=2026/a.parquet')).toBe(true);
    });

    it('stores Vietnamese text as UTF-8', async () => {
      const s = await makeStore();
      await s.put('audit/date=2026-11-05/e.json', '{"x":"Phường Đạo Thạnh"}');
      expect(
        new TextDecoder().decode((await s.get('audit/date=2026-11-05/e.json')) ?? new Uint8Array()),
      ).toBe('{"x":"Phường Đạo Thạnh"}');
    });

    it('create-only put fails when the key exists and keeps the first content', async () => {
      const s = await makeStore();
      await s.put('raw/year=2026/commune=28249/v000001.json', 'first', { ifNoneMatch: true });
      await expect(
        s.put('raw/year=2026/commune=28249/v000001.json', 'second', { ifNoneMatch: true }),
      ).rejects.toBeInstanceOf(PreconditionFailed);
      expect(
        new TextDecoder().decode(
          (await s.get('raw/year=2026/commune=28249/v000001.json')) ?? new Uint8Array(),
        ),
      ).toBe('first');
    });

    it('exactly one of many concurrent create-only puts wins', async () => {
      const s = await makeStore();
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          s.put('raw/year=2027/commune=28249/v000001.json', `w${i}`, { ifNoneMatch: true }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    it('lists every key under a prefix, sorted, across nested folders', async () => {
      const s = await makeStore();
      const keys = [
        'curated/cadres/year=2027/b.parquet',
        'curated/cadres/year=2026/a.parquet',
        'curated/cadres/year=2026/c.parquet',
        'curated/reports/year=2026/a.parquet',
      ];
      for (const k of keys) await s.put(k, 'x');
      expect(await s.list('curated/cadres/')).toEqual([
        'curated/cadres/year=2026/a.parquet',
        'curated/cadres/year=2026/c.parquet',
        'curated/cadres/year=2027/b.parquet',
      ]);
      expect(await s.list('curated/cadres/year=2026/')).toHaveLength(2);
      expect(await s.list('nothing/here/')).toEqual([]);
    });

    it('overwrites atomically and deletes idempotently', async () => {
      const s = await makeStore();
      await s.put('marts/kpi.json', 'old');
      await s.put('marts/kpi.json', 'new');
      expect(new TextDecoder().decode((await s.get('marts/kpi.json')) ?? new Uint8Array())).toBe('new');
      await s.delete('marts/kpi.json');
      await s.delete('marts/kpi.json');
      expect(await s.get('marts/kpi.json')).toBeNull();
    });
  });
}
