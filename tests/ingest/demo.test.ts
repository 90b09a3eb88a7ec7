import { COMMUNES, PLAN, reportDeadlineUtc } from '@scorecard/data-contracts';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { demoSubmissions, seedDemo } from '@scorecard/functions/demo/generate.ts';
import { IngestService } from '@scorecard/functions/ingest/ingest-service.ts';
import { personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import { describe, expect, it } from 'vitest';
import { listFiles, tempDir } from '../helpers/data-dir.ts';

const NOW = new Date('2027-11-20T00:00:00Z');

describe('demo data', () => {
  it('is deterministic and covers the plan years up to now, for the real communes', () => {
    const a = demoSubmissions(NOW);
    const b = demoSubmissions(NOW);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(new Set(a.map((x) => x.submission.year))).toEqual(new Set([2026, 2027]));
    const codes = new Set(COMMUNES.map((c) => c.commune_code));
    expect(a.every((x) => codes.has(x.submission.commune_code))).toBe(true);
    expect(a.every((x) => x.receivedAt <= NOW)).toBe(true);
  });

  it('carries the hard cases: exactly 90 %, late, missing, corrections, shared person, soft findings', () => {
    const items = demoSubmissions(NOW);
    const y2026 = items.filter((x) => x.submission.year === 2026);
    const at90 = y2026.find((x) => x.submission.commune_code === COMMUNES[1]?.commune_code)!.submission;
    const leaders = at90.cadres.filter((c) => c.is_leader && c.category !== 'hop_dong');
    expect(leaders.filter((c) => c.meets_competency_standard).length * 100).toBe(90 * leaders.length);
    expect(y2026.some((x) => x.receivedAt >= reportDeadlineUtc(PLAN, 2026))).toBe(true);
    const reported = new Set(y2026.map((x) => x.submission.commune_code));
    expect(reported.has(COMMUNES[COMMUNES.length - 1]!.commune_code)).toBe(false);
    const perCommune = new Map<string, number>();
    for (const x of y2026)
      perCommune.set(x.submission.commune_code, (perCommune.get(x.submission.commune_code) ?? 0) + 1);
    expect([...perCommune.values()].some((n) => n > 1)).toBe(true);
    const ids = new Map<string, Set<string>>();
    for (const x of y2026)
      for (const c of x.submission.cadres)
        ids.set(c.national_id!, (ids.get(c.national_id!) ?? new Set()).add(x.submission.commune_code));
    expect([...ids.values()].some((s) => s.size > 1)).toBe(true);
    expect(
      y2026.some((x) => x.submission.cadres.some((c) => !c.is_leader && c.position.startsWith('Phó Trưởng'))),
    ).toBe(true);
  });

  it('lands through the ingest path, marked submitted_by = demo, with no national ID stored', async () => {
    const dir = tempDir('demo-');
    const store = new FsObjectStore(dir);
    const written = await seedDemo(store, personKeyFromSecret('k'), new Date('2026-11-20T00:00:00Z'));
    expect(written).toBeGreaterThan(90);
    const svc = new IngestService({
      store,
      clock: new ManualClock(NOW),
      personKey: personKeyFromSecret('k'),
    });
    const v = await svc.latestAccepted(COMMUNES[0]!.commune_code, 2026);
    expect(v?.submitted_by).toBe('demo');
    expect(JSON.stringify(v)).not.toMatch(/national_id/);
    expect(listFiles(dir)).toContain('meta/demo.json');
  });
});
