// GET /submissions from the history index (issue 7) instead of reading every raw version per request: the same
// rows, in the same order, as SubmissionRegistry.history on a folder with a correction, a void, a late
// submission and a claim without its commit marker; fresh right after the POST (or void) that changed it;
// unchanged by compaction (the small markers it deletes are not needed).
import { randomUUID } from 'node:crypto';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { compactYear } from '@scorecard/functions/compaction/compact.ts';
import { IngestService } from '@scorecard/functions/ingest/ingest-service.ts';
import { type HistoryRow, SubmissionRegistry } from '@scorecard/functions/ingest/registry.ts';
import { rawKey, type StoredVersion } from '@scorecard/functions/ingest/stored.ts';
import { RESCAN_MS } from '@scorecard/functions/marts/history.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validSubmission } from '../helpers/fixtures.ts';
import { OTHER, OWN, type TestServer, testServer } from '../helpers/server.ts';

const LATE = '28270';
const PENDING = '28273';

let s: TestServer;
let store: FsObjectStore;
/** Raw versions the server has read: the registry reads every one of the year per request; the index none. */
let rawReads = 0;
let registry: SubmissionRegistry;

type Answer = { refreshed_at: string; rows: Record<string, unknown>[] };
async function history(token: string, query: string): Promise<Answer> {
  const res = await s.call(`/api/v1/submissions?${query}`, { token });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json');
  return (await res.json()) as Answer;
}
const withoutSubmitter = (rows: HistoryRow[]) => rows.map(({ submitted_by: _, ...rest }) => rest);
/** Same rows, same order, same keys in the same order (the JSON text is compared, not just the values). */
const same = (got: unknown[], want: unknown[]) => expect(JSON.stringify(got)).toBe(JSON.stringify(want));

async function post(token: string, sub: ReturnType<typeof validSubmission>) {
  const r = await s.call('/api/v1/submissions', { method: 'POST', token, json: sub });
  expect(r.status).toBe(201);
  return (await r.json()) as { submission_id: string; version: number };
}

/** A version claimed (raw JSON written) whose commit never happened: what a crash between the two leaves. */
async function claimWithoutCommit(commune: string): Promise<StoredVersion> {
  const [first] = await store.list(`raw/year=2026/commune=${commune}/`);
  const v = JSON.parse(
    new TextDecoder().decode((await store.get(first as string)) ?? new Uint8Array()),
  ) as StoredVersion;
  const keys = await store.list(`raw/year=2026/commune=${commune}/`);
  const claimed: StoredVersion = {
    ...v,
    submission_id: randomUUID(),
    version: keys.length + 1,
    received_at: s.clock.now().toISOString(),
  };
  await store.put(rawKey(2026, commune, claimed.version), JSON.stringify(claimed), { ifNoneMatch: true });
  return claimed;
}

beforeAll(async () => {
  s = await testServer({
    now: '2026-11-05T12:00:00Z',
    wrapStore: (inner) => ({
      get: (key) => {
        if (key.startsWith('raw/')) rawReads++;
        return inner.get(key);
      },
      exists: (key) => inner.exists(key),
      put: (key, body, options) => inner.put(key, body, options),
      list: (prefix) => inner.list(prefix),
      delete: (key) => inner.delete(key),
      localPath: (key) => (inner.localPath as (k: string) => string)(key),
    }),
  });
  store = new FsObjectStore(s.dataDir);
  registry = new SubmissionRegistry(store, s.clock, s.ingest.audit);
  const admin = await s.sign('admin');
  // A submission and its correction.
  await post(s.tokens.commune, validSubmission({ commune_code: OWN }));
  s.clock.advance(60_000);
  const corrected = validSubmission({ commune_code: OWN });
  corrected.report.dialogues_held = 9;
  await post(s.tokens.commune, corrected);
  // A submission voided by an admin.
  const voided = await post(s.tokens.otherCommune, validSubmission({ commune_code: OTHER }));
  const v = await s.call(`/api/v1/submissions/${voided.submission_id}/void`, {
    method: 'POST',
    token: admin,
    json: { reason: 'Nộp nhầm "số liệu"' },
  });
  expect(v.status).toBe(200);
  // Two late ones (after the deadline, 6 November 00:00 in Vietnam); the second commune's next version is left
  // claimed only. (Tokens live 12 h on this clock.)
  s.clock.set('2026-11-05T18:00:00Z');
  await post(admin, validSubmission({ commune_code: LATE }));
  await post(admin, validSubmission({ commune_code: PENDING }));
}, 120_000);
afterAll(async () => {
  await s.close();
});

describe('GET /submissions from the history index', () => {
  it('gives the registry’s rows, in its order, to every role', async () => {
    const all = await registry.history(2026);
    expect(all.map((r) => [r.commune_code, r.version, r.on_time, r.voided, r.committed])).toEqual([
      [OWN, 1, true, false, true],
      [OWN, 2, true, false, true],
      [OTHER, 1, true, true, true],
      [LATE, 1, false, false, true],
      [PENDING, 1, false, false, true],
    ]);
    rawReads = 0;
    same((await history(s.tokens.leader, 'year=2026')).rows, all);
    same((await history(s.tokens.admin, 'year=2026')).rows, all);
    expect(rawReads).toBe(0); // served from the index, not version by version
    same((await history(s.tokens.analyst, 'year=2026')).rows, withoutSubmitter(all));
    same((await history(s.tokens.commune, 'year=2026')).rows, await registry.history(2026, OWN));
    same(
      (await history(s.tokens.leader, `year=2026&commune=${OTHER}`)).rows,
      await registry.history(2026, OTHER),
    );
    same(
      (await history(s.tokens.analyst, `year=2026&commune=${OTHER}`)).rows,
      withoutSubmitter(await registry.history(2026, OTHER)),
    );
    same((await history(s.tokens.leader, 'year=2027')).rows, []);
    same((await history(s.tokens.leader, 'year=2019')).rows, await registry.history(2019));
    same((await history(s.tokens.leader, 'year=2026&commune=99999')).rows, []);
  });

  it('a claim without its commit marker shows with committed: false: in the commune’s answer at once, in the year’s within RESCAN_MS', async () => {
    const claimed = await claimWithoutCommit(PENDING);
    const expected = await registry.history(2026, PENDING);
    expect(expected.map((r) => [r.version, r.committed])).toEqual([
      [1, true],
      [2, false],
    ]);
    same((await history(s.tokens.leader, `year=2026&commune=${PENDING}`)).rows, expected);
    same((await history(s.tokens.leader, 'year=2026')).rows, await registry.history(2026));
    // Another, that nobody's commune answer saw: the whole-year answer re-lists raw/ in the background.
    await claimWithoutCommit(OWN);
    const year = await registry.history(2026);
    expect(year.filter((r) => !r.committed)).toHaveLength(2);
    s.marts.history.rescanMs = 0;
    try {
      const deadline = Date.now() + 20_000;
      let rows: Record<string, unknown>[] = [];
      while (Date.now() < deadline) {
        rows = (await history(s.tokens.leader, 'year=2026')).rows;
        if (rows.length === year.length) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      same(rows, year);
    } finally {
      s.marts.history.rescanMs = RESCAN_MS;
    }
    // A process that starts on this folder finds it by listing the year (no commune asked first).
    const second = await testServer({ now: s.clock.now().toISOString(), dataDir: s.dataDir });
    try {
      const res = await second.call('/api/v1/submissions?year=2026', { token: second.tokens.leader });
      same(((await res.json()) as Answer).rows, await registry.history(2026));
    } finally {
      await second.close();
    }
    // The commune's next submission completes the claim first (ingest-service completePending): now committed.
    s.clock.advance(60_000);
    const next = validSubmission({ commune_code: PENDING });
    next.report.dialogues_held = 11;
    await post(s.tokens.admin, next);
    const after = await registry.history(2026, PENDING);
    expect(after.map((r) => [r.version, r.committed, r.submission_id === claimed.submission_id])).toEqual([
      [1, true, false],
      [2, true, true],
      [3, true, false],
    ]);
    same((await history(s.tokens.leader, 'year=2026')).rows, await registry.history(2026));
  });

  it('shows a new version right after the POST that created it returns, and a void right after the void', async () => {
    // Warm the whole-year answer (cached until the next change).
    await history(s.tokens.leader, 'year=2026');
    s.clock.advance(60_000);
    const corrected = validSubmission({ commune_code: OTHER });
    corrected.report.dialogues_held = 4;
    const created = await post(s.tokens.otherCommune, corrected);
    const rows = (await history(s.tokens.leader, 'year=2026')).rows;
    expect(rows.find((r) => r.submission_id === created.submission_id)).toMatchObject({
      commune_code: OTHER,
      version: 2,
      committed: true,
      voided: false,
    });
    same(rows, await registry.history(2026));
    same((await history(s.tokens.otherCommune, 'year=2026')).rows, await registry.history(2026, OTHER));

    const v = await s.call(`/api/v1/submissions/${created.submission_id}/void`, {
      method: 'POST',
      token: s.tokens.admin,
      json: { reason: 'x' },
    });
    expect(v.status).toBe(200);
    const afterVoid = (await history(s.tokens.analyst, 'year=2026')).rows;
    expect(afterVoid.find((r) => r.submission_id === created.submission_id)).toMatchObject({
      voided: true,
      void_reason: 'x',
    });
    same(afterVoid, withoutSubmitter(await registry.history(2026)));
  });

  it('a commit by another process shows in the commune’s answer at once, in the year’s once the watcher sees it', async () => {
    const other = new IngestService({ store, clock: s.clock, personKey: (id) => `pk-${id}` });
    const sub = validSubmission({ commune_code: LATE });
    sub.report.dialogues_held = 3;
    s.clock.advance(60_000);
    const out = await other.ingest(sub, { actor: { sub: 'cli', role: 'admin' } });
    expect(out.status).toBe('accepted');
    same(
      (await history(s.tokens.leader, `year=2026&commune=${LATE}`)).rows,
      await registry.history(2026, LATE),
    );
    const deadline = Date.now() + 30_000;
    let rows: Record<string, unknown>[] = [];
    while (Date.now() < deadline) {
      rows = (await history(s.tokens.leader, 'year=2026')).rows;
      if (rows.some((r) => r.submission_id === out.submission_id)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    same(rows, await registry.history(2026));
  });

  it('is the same after compaction removed the small commit markers and voids (running server and a fresh one)', async () => {
    const before = (await history(s.tokens.leader, 'year=2026')).rows;
    expect(before.some((r) => r.voided)).toBe(true);
    const result = await compactYear({ store, clock: s.clock, year: 2026, graceMs: 0 });
    expect(result.status).toBe('compacted');
    expect((await store.list('curated/submissions/year=2026/')).every((k) => /\/part-/.test(k))).toBe(true);
    expect((await store.list('curated/voids/year=2026/')).every((k) => /\/part-/.test(k))).toBe(true);
    // The running server learns of it through the watcher; its answer never changes.
    await new Promise((r) => setTimeout(r, 600));
    same((await history(s.tokens.leader, 'year=2026')).rows, before);
    const fresh = await testServer({ now: s.clock.now().toISOString(), dataDir: s.dataDir });
    try {
      const res = await fresh.call('/api/v1/submissions?year=2026', { token: fresh.tokens.leader });
      same(((await res.json()) as Answer).rows, before);
      const own = await fresh.call(`/api/v1/submissions?year=2026&commune=${OTHER}`, {
        token: fresh.tokens.leader,
      });
      same(
        ((await own.json()) as Answer).rows,
        before.filter((r) => r.commune_code === OTHER),
      );
    } finally {
      await fresh.close();
    }
  });
});
