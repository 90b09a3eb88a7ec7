import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { IngestService } from '@scorecard/functions/ingest/ingest-service.ts';
import { loadLocalSecret, personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import { describe, expect, it } from 'vitest';
import { grepFiles, hashExceptAudit, listFiles, tempDir } from '../helpers/data-dir.ts';
import { FaultyStore } from '../helpers/faulty-store.ts';
import { cadre, validSubmission } from '../helpers/fixtures.ts';
import { HARD_RULE_CASES, type Mutable } from '../helpers/invalid-cases.ts';

const admin = { sub: 'admin-1', role: 'admin' as const };

function setup(now = '2026-11-01T03:00:00Z') {
  const dir = tempDir();
  const store = new FsObjectStore(dir);
  const clock = new ManualClock(now);
  const svc = new IngestService({ store, clock, personKey: personKeyFromSecret('test-secret') });
  return { dir, store, clock, svc };
}

async function duck() {
  const c = await (await DuckDBInstance.create(':memory:')).connect();
  await c.run("SET TimeZone = 'UTC'");
  return c;
}

describe('ingest — versions and idempotency', () => {
  it('accepts, de-duplicates against the latest, versions corrections and reverts', async () => {
    const { dir, svc, clock } = setup();
    const first = await svc.ingest(validSubmission(), { actor: admin });
    expect(first).toMatchObject({ status: 'accepted', version: 1, on_time: true, errors: [] });

    const before = hashExceptAudit(dir);
    clock.advance(60_000);
    const again = await svc.ingest(validSubmission(), { actor: admin });
    expect(again).toMatchObject({ status: 'duplicate', submission_id: first.submission_id, version: 1 });
    expect(hashExceptAudit(dir)).toBe(before);

    const changed = validSubmission();
    changed.report.dialogues_held = 3;
    clock.advance(60_000);
    const second = await svc.ingest(changed, { actor: admin });
    expect(second).toMatchObject({ status: 'accepted', version: 2 });
    expect(second.submission_id).not.toBe(first.submission_id);

    // Re-sending the first content is a revert: a new version, never silently ignored.
    clock.advance(60_000);
    const third = await svc.ingest(validSubmission(), { actor: admin });
    expect(third).toMatchObject({ status: 'accepted', version: 3 });
  });

  it('hashes content, not field order or surrounding whitespace', async () => {
    const { svc } = setup();
    const a = await svc.ingest(validSubmission(), { actor: admin });
    const reordered = JSON.parse(JSON.stringify(validSubmission(), Object.keys(validSubmission()).reverse()));
    const s = validSubmission();
    const spaced = {
      ...s,
      report: { ...s.report, initiatives: [{ title: '  Số hóa hồ sơ một cửa ', replicated: true }] },
    };
    expect((await svc.ingest({ ...reordered, ...spaced }, { actor: admin })).submission_id).toBe(
      a.submission_id,
    );
  });

  it('on-time flag uses 6 November 00:00 Asia/Ho_Chi_Minh', async () => {
    const { svc, clock } = setup('2026-11-05T16:59:59Z');
    expect((await svc.ingest(validSubmission(), { actor: admin })).on_time).toBe(true);
    clock.set('2026-11-05T17:00:00Z');
    const late = validSubmission({ commune_code: '28261' });
    expect((await svc.ingest(late, { actor: admin })).on_time).toBe(false);
  });
});

describe('ingest — rejection writes nothing but the audit log', () => {
  it('an invalid submission lists every error and leaves the data folder unchanged', async () => {
    const { dir, svc } = setup();
    await svc.ingest(validSubmission(), { actor: admin });
    const before = hashExceptAudit(dir);
    const auditBefore = listFiles(dir).filter((f) => f.startsWith('audit/')).length;
    const bad = validSubmission({ year: 2031 });
    (bad.report.survey as { citizen_satisfied: number }).citizen_satisfied = 10_000;
    const r = await svc.ingest(bad, { actor: admin });
    expect(r.status).toBe('rejected');
    expect(r.errors.map((e) => e.code).sort()).toEqual(['satisfied_exceeds_respondents', 'year_not_in_plan']);
    expect(hashExceptAudit(dir)).toBe(before);
    expect(listFiles(dir).filter((f) => f.startsWith('audit/')).length).toBe(auditBefore + 1);
  });

  it('every hard rule: rejected with its error, and the data folder is unchanged but for the audit log', async () => {
    const { dir, svc } = setup('2027-03-01T00:00:00Z');
    await svc.ingest(validSubmission(), { actor: admin });
    const before = hashExceptAudit(dir);
    for (const [name, mutate, path, code] of HARD_RULE_CASES) {
      const bad = structuredClone(validSubmission()) as Mutable;
      mutate(bad);
      const r = await svc.ingest(bad, { actor: admin });
      expect(r.status, name).toBe('rejected');
      expect(r.errors, name).toContainEqual(expect.objectContaining({ path, code }));
      expect(hashExceptAudit(dir), name).toBe(before);
    }
  });

  it('a commune may only submit for itself (forbidden, nothing written)', async () => {
    const { dir, svc } = setup();
    const before = hashExceptAudit(dir);
    const r = await svc.ingest(validSubmission(), {
      actor: { sub: 'x', role: 'commune', commune_code: '28261' },
    });
    expect(r.status).toBe('forbidden');
    expect(hashExceptAudit(dir)).toBe(before);
  });

  it('dry run validates and writes nothing at all, and returns soft findings', async () => {
    const { dir, svc } = setup();
    const s = validSubmission();
    s.cadres[2] = cadre(3, { position: 'Trưởng phòng Kinh tế', is_leader: false });
    const r = await svc.ingest(s, { actor: admin, dryRun: true });
    expect(r.status).toBe('accepted');
    expect(r.soft_findings.map((f) => f.code)).toContain('leader_title_not_leader');
    expect(listFiles(dir)).toEqual([]);
  });
});

describe('ingest — personal data', () => {
  it('no national ID appears anywhere in the data folder; person keys carry over by staff code', async () => {
    const { dir, svc, clock } = setup();
    const s = validSubmission();
    await svc.ingest(s, { actor: admin });
    // A correction without national IDs: keys carry over from the previous accepted version.
    const correction = validSubmission();
    for (const c of correction.cadres) delete c.national_id;
    correction.report.dialogues_held = 5;
    clock.advance(1000);
    const r = await svc.ingest(correction, { actor: admin });
    expect(r.status).toBe('accepted');
    // A new staff code without an ID is an error at its path.
    const newcomer = validSubmission();
    newcomer.cadres.push({ ...cadre(9), national_id: undefined });
    const bad = await svc.ingest(newcomer, { actor: admin });
    expect(bad.errors).toContainEqual(
      expect.objectContaining({ path: '/cadres/5/national_id', code: 'national_id_required' }),
    );

    for (const c of s.cadres) expect(grepFiles(dir, c.national_id as string)).toEqual([]);
    const db = await duck();
    const keys = await db.runAndReadAll(
      `SELECT count(DISTINCT person_key) AS n, count(*) AS rows FROM read_parquet('${dir}/curated/cadres/**/*.parquet', hive_partitioning = true)`,
    );
    expect(keys.getRowObjectsJson()[0]).toEqual({ n: '5', rows: '10' });
  });

  it('the person-key secret lives outside the data folder with mode 0600', () => {
    const dir = tempDir();
    expect(() => loadLocalSecret(join(dir, 'key'), dir)).toThrow(/must not be inside DATA_DIR/);
    const keyFile = join(tempDir(), 'conf', 'person-key');
    const secret = loadLocalSecret(keyFile, dir);
    expect(secret).toHaveLength(32);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(loadLocalSecret(keyFile, dir).equals(secret)).toBe(true);
  });
});

describe('ingest — Parquet round trip in DuckDB', () => {
  it('reads back exact types and values: Vietnamese text, nulls, booleans, timestamps', async () => {
    const { dir, svc } = setup('2026-11-05T16:59:59.123Z');
    const s = validSubmission();
    s.cadres[0] = cadre(1, {
      position: 'Chủ tịch UBND',
      is_leader: true,
      category: 'can_bo',
      birth_year: 1984,
      gender: 'nu',
    });
    delete s.cadres[3]!.evaluation;
    s.report.initiatives = [{ title: 'Số hóa hồ sơ một cửa — Phường Đạo Thạnh', replicated: true }];
    s.report.complaints_received = 2_000_000;
    s.report.complaints_resolved_on_time = 1_999_999;
    const r = await svc.ingest(s, { actor: admin });
    const db = await duck();
    const read = async (table: string, root = 'curated') => {
      const res = await db.runAndReadAll(
        `SELECT * FROM read_parquet('${dir}/${root}/${table}/**/*.parquet', hive_partitioning = true, hive_types = {'year': INTEGER})`,
      );
      return {
        types: Object.fromEntries(res.columnNames().map((n, i) => [n, res.columnTypes()[i]?.toString()])),
        rows: res.getRowObjectsJson(),
      };
    };
    const sub = await read('submissions');
    expect(sub.types).toMatchObject({
      received_at: 'TIMESTAMP',
      version: 'INTEGER',
      year: 'INTEGER',
      submission_id: 'VARCHAR',
    });
    expect(sub.rows[0]).toMatchObject({
      submission_id: r.submission_id,
      received_at: '2026-11-05 16:59:59.123',
      version: 1,
      year: 2026,
      cadre_rows: 5,
    });
    const rep = await read('reports');
    expect(rep.rows[0]).toMatchObject({
      digital_cadre_management: true,
      complaints_received: 2000000,
      citizen_satisfied: 352,
    });
    const ini = await read('initiatives');
    expect(ini.rows[0]).toMatchObject({ title: 'Số hóa hồ sơ một cửa — Phường Đạo Thạnh', replicated: true });
    const cad = await read('cadres');
    expect(cad.types).toMatchObject({
      is_leader: 'BOOLEAN',
      task_results: 'INTEGER',
      gender: 'VARCHAR',
      age_band: 'VARCHAR',
    });
    const byRow = new Map(cad.rows.map((x) => [x.row_no, x]));
    expect(byRow.get(0)).toMatchObject({
      is_leader: true,
      category: 'can_bo',
      gender: 'nu',
      age_band: '40_49',
      title_suggests_leader: true,
      trainings: 'chuc_danh,chuyen_sau,quan_tri_hien_dai',
      trained_chuyen_doi_so: false,
    });
    expect(byRow.get(3)).toMatchObject({ rating: null, task_results: null, gender: null, age_band: null });
    expect(Object.keys(cad.types)).not.toContain('cadre_code');
    expect(Object.keys(cad.types)).not.toContain('position');
    expect(Object.keys(cad.types)).not.toContain('birth_year');
    const ident = await read('cadre_identity', 'restricted');
    expect(ident.rows.find((x) => x.row_no === 0)).toMatchObject({
      cadre_code: 'DT-0001',
      position: 'Chủ tịch UBND',
    });
  });
});

describe('ingest — faults and concurrency', () => {
  it('a store failing at each write step leaves nothing half-visible, and a retry completes it', async () => {
    // Steps: 1 raw claim, 2–6 Parquet tables, 7 commit marker.
    for (let step = 1; step <= 7; step++) {
      const dir = tempDir();
      const faulty = new FaultyStore(new FsObjectStore(dir));
      const svc = new IngestService({
        store: faulty,
        clock: new ManualClock('2026-11-01T00:00:00Z'),
        personKey: personKeyFromSecret('s'),
      });
      faulty.failOnPut(step);
      await expect(svc.ingest(validSubmission(), { actor: admin })).rejects.toThrow(/injected failure/);
      // Not visible: no commit marker.
      expect(listFiles(dir).filter((f) => f.startsWith('curated/submissions/'))).toEqual([]);
      const retry = await svc.ingest(validSubmission(), { actor: admin });
      expect(retry.version, `step ${step}`).toBe(1);
      expect(['accepted', 'duplicate']).toContain(retry.status);
      const files = listFiles(dir).filter((f) => !f.startsWith('audit/') && !f.startsWith('.tmp/'));
      expect(files.filter((f) => f.startsWith('raw/'))).toHaveLength(1);
      expect(files.filter((f) => f.startsWith('curated/submissions/'))).toHaveLength(1);
      expect(files.filter((f) => f.endsWith('.parquet'))).toHaveLength(6);
    }
  });

  it('25 concurrent identical submissions → one version and one id for all', async () => {
    const { dir, svc } = setup();
    const results = await Promise.all(
      Array.from({ length: 25 }, () => svc.ingest(validSubmission(), { actor: admin })),
    );
    expect(new Set(results.map((r) => r.submission_id)).size).toBe(1);
    expect(results.every((r) => r.version === 1)).toBe(true);
    expect(listFiles(dir).filter((f) => f.startsWith('raw/'))).toHaveLength(1);
  });

  it('25 concurrent distinct submissions → consecutive versions, no gaps, no duplicates', async () => {
    const { svc } = setup();
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => {
        const s = validSubmission();
        s.report.dialogues_held = i;
        return svc.ingest(s, { actor: admin });
      }),
    );
    expect(results.map((r) => r.version).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
    expect(new Set(results.map((r) => r.submission_id)).size).toBe(25);
  });
});
