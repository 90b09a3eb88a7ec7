// Reading the audit trail (issue 15, item 9): a closed day is read object by object once and then kept as one
// roll-up; later reads of it take one GET. The day in progress is always read object by object. On a real folder
// store with a store wrapper that counts what is read.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { type Actor, AuditLog } from '@scorecard/functions/ingest/audit.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import type { ObjectStore, PutOptions } from '@scorecard/functions/ports/object-store.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

class CountingStore implements ObjectStore {
  gets = 0;
  constructor(private readonly inner: ObjectStore) {}
  get(key: string) {
    this.gets++;
    return this.inner.get(key);
  }
  exists(key: string) {
    return this.inner.exists(key);
  }
  put(key: string, body: Uint8Array | string, options?: PutOptions) {
    return this.inner.put(key, body, options);
  }
  list(prefix: string) {
    return this.inner.list(prefix);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
}

const ADMIN: Actor = { sub: 'admin-1', role: 'admin' };

async function trail(days: number, perDay: number) {
  const store = new CountingStore(new FsObjectStore(mkdtempSync(join(tmpdir(), 'audit-'))));
  const clock = new ManualClock('2026-11-01T00:30:00Z');
  const log = new AuditLog(store, clock);
  for (let d = 0; d < days; d++) {
    for (let i = 0; i < perDay; i++) {
      await log.record(ADMIN, i % 2 ? 'sql.query' : 'export.create', 'ok', `t-${d}-${i}`);
      clock.advance(60_000);
    }
    clock.advance(86_400_000 - perDay * 60_000);
  }
  return { store, clock, log };
}

describe('the audit trail read back', () => {
  it('a closed day is rolled up on its first read; the next read of it is one GET', async () => {
    const { store, clock, log } = await trail(3, 40);
    clock.set('2026-11-05T00:00:00Z'); // 1–3 November are closed
    const range = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-04T00:00:00Z') };
    const first = await log.query(range);
    expect(first).toHaveLength(120);
    expect(store.gets).toBeGreaterThanOrEqual(120); // every object, once
    expect(await store.list('audit/daily/')).toEqual([
      'audit/daily/date=2026-11-01.jsonl',
      'audit/daily/date=2026-11-02.jsonl',
      'audit/daily/date=2026-11-03.jsonl',
    ]);
    store.gets = 0;
    const again = await log.query(range);
    expect(again).toEqual(first);
    expect(store.gets).toBe(3); // one roll-up per closed day; 4 November (not closed yet) has no objects to read
    // Filters apply to rolled-up days as to the others.
    expect(await log.query({ ...range, action: 'sql.query' })).toHaveLength(60);
  });

  it('the day in progress, and a day within an hour of its end, are never rolled up: later events still appear', async () => {
    const { store, clock, log } = await trail(1, 5);
    clock.set('2026-11-02T00:30:00Z'); // 1 November ended 30 minutes ago
    const range = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-02T23:59:59Z') };
    expect(await log.query(range)).toHaveLength(5);
    expect(await store.list('audit/daily/')).toEqual([]);
    await log.record(ADMIN, 'sql.query', 'ok');
    expect(await log.query(range)).toHaveLength(6);
  });

  it('generated days and counts: the rolled-up answer equals the object-by-object one, concurrent readers included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 12 }),
        async (days, perDay) => {
          const { clock, log } = await trail(days, perDay);
          const range = { from: new Date('2026-10-31T00:00:00Z'), to: new Date('2026-11-10T00:00:00Z') };
          const open = await log.query(range); // nothing closed yet at the last event's time
          clock.set('2026-11-20T00:00:00Z');
          const [a, b] = await Promise.all([log.query(range), log.query(range)]);
          expect(a).toEqual(open);
          expect(b).toEqual(open);
          expect(await log.query(range)).toEqual(open);
        },
      ),
      { numRuns: 15 },
    );
  });
});
