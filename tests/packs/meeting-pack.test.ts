// Meeting packs: reproducible at a fixed as-of (byte-identical CSVs, same data hashes after more submissions
// arrive), the workbook's sheets and values, the PDF's Vietnamese text as a reader sees it (pdftotext), the
// manifest, CSV formula neutralisation, the schedule, the export service and the CLI.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportSchedule, PLAN, type Submission } from '@scorecard/data-contracts';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { createMeetingPack, localExportService } from '@scorecard/functions/entry/local/packs.ts';
import { IngestService } from '@scorecard/functions/ingest/ingest-service.ts';
import { personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import { SubmissionRegistry } from '@scorecard/functions/ingest/registry.ts';
import { tableCsv } from '@scorecard/functions/packs/csv.ts';
import {
  ExportRequestError,
  type Manifest,
  type PackProgress,
} from '@scorecard/functions/packs/meeting-pack.ts';
import { packScope } from '@scorecard/functions/packs/pack-data.ts';
import { dueExports } from '@scorecard/functions/packs/schedule.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/data-dir.ts';
import { cadre, validSubmission } from '../helpers/fixtures.ts';

const admin = { sub: 'test-admin', role: 'admin' as const };
const AS_OF = new Date('2026-11-10T00:00:00Z');
const LATER = new Date('2026-12-01T00:00:00Z');
const YEAR = PLAN.years[0] as number;

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const read = (dir: string, name: string) => new Uint8Array(readFileSync(join(dir, name)));

/** Second commune: a leader below standard, a late report — so the pack has met and not-met KPIs. */
function second(): Submission {
  return validSubmission({
    commune_code: '28261',
    cadres: [
      cadre(11, {
        position: 'Chủ tịch UBND',
        is_leader: true,
        category: 'can_bo',
        meets_competency_standard: false,
      }),
      cadre(12, { position: 'Phó Chủ tịch UBND', is_leader: true, category: 'can_bo' }),
      cadre(13),
    ],
  });
}

describe('meeting packs', () => {
  const dataDir = tempDir('scorecard-pack-');
  const store = new FsObjectStore(dataDir);
  const clock = new ManualClock('2026-10-01T03:00:00Z');
  const ingest = new IngestService({ store, clock, personKey: personKeyFromSecret('pack-test-secret') });
  let first: { dir: string; manifest: Manifest; progress: PackProgress[] };
  let acceptedBeforeAsOf: string[];

  beforeAll(async () => {
    const a = await ingest.ingest(validSubmission(), { actor: admin });
    clock.set('2026-11-04T03:00:00Z');
    const b = await ingest.ingest(second(), { actor: admin });
    acceptedBeforeAsOf = [a.submission_id as string, b.submission_id as string].sort();
    clock.set(LATER);
    const dir = join(tempDir('scorecard-out-'), 'pack');
    const progress: PackProgress[] = [];
    const manifest = await createMeetingPack({
      dataDir,
      year: YEAR,
      meeting: 'annual',
      asOf: AS_OF,
      outDir: dir,
      now: clock.now(),
      onProgress: (p) => progress.push(p),
    });
    first = { dir, manifest, progress };
  }, 120_000);

  it('regenerating with the same as-of after more submissions arrive gives byte-identical CSVs and the same data hashes', async () => {
    // More data after the as-of instant: a correction, a new commune, a late report.
    clock.set('2026-11-20T03:00:00Z');
    const correction = validSubmission({ report: { ...validSubmission().report, staff_quota: 40 } });
    expect((await ingest.ingest(correction, { actor: admin })).status).toBe('accepted');
    expect((await ingest.ingest(validSubmission({ commune_code: '28270' }), { actor: admin })).status).toBe(
      'accepted',
    );
    // …and an admin voids, after the as-of instant, a version the first pack used.
    const registry = new SubmissionRegistry(store, clock, ingest.audit);
    expect((await registry.void(acceptedBeforeAsOf[0] as string, 'filed in error', admin)).status).toBe(
      'voided',
    );
    clock.set('2026-12-02T00:00:00Z');

    const dir = join(tempDir('scorecard-out-'), 'again');
    const again = await createMeetingPack({
      dataDir,
      year: YEAR,
      meeting: 'annual',
      asOf: AS_OF,
      outDir: dir,
      now: clock.now(),
    });
    expect(again.data_sha256).toBe(first.manifest.data_sha256);
    expect(again.tables).toEqual(first.manifest.tables);
    expect(again.submissions).toEqual(first.manifest.submissions);
    for (const t of first.manifest.tables) {
      expect(Buffer.compare(read(dir, t.file), read(first.dir, t.file))).toBe(0);
    }
    // Only the generation time differs.
    expect(again.generated_at).not.toBe(first.manifest.generated_at);

    // A later as-of does see the new submissions (the same data hash above is not an accident).
    const later = await createMeetingPack({
      dataDir,
      year: YEAR,
      meeting: 'annual',
      asOf: clock.now(),
      outDir: join(dir, 'later'),
      now: clock.now(),
    });
    expect(later.data_sha256).not.toBe(first.manifest.data_sha256);
    expect(later.submissions).toHaveLength(3); // four versions, one voided
  }, 120_000);

  it('writes the manifest: plan id and version, as-of, meeting, years, submissions used with content hashes, every file hashed', () => {
    const m = first.manifest;
    expect(m.plan).toEqual({ plan_id: PLAN.plan_id, version: PLAN.version });
    expect(m.as_of).toBe(AS_OF.toISOString());
    expect(m.meeting).toBe('annual');
    expect(m.years).toEqual([YEAR]);
    expect(m.submissions.map((s) => s.submission_id).sort()).toEqual(acceptedBeforeAsOf);
    for (const s of m.submissions) expect(s.content_sha256).toMatch(/^[0-9a-f]{64}$/);
    const onDisk = JSON.parse(readFileSync(join(first.dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(onDisk).toEqual(m);
    const names = m.files.map((f) => f.name).sort();
    expect(names).toEqual(
      ['scorecard-annual-2026.xlsx', 'scorecard-annual-2026.pdf', ...m.tables.map((t) => t.file)].sort(),
    );
    for (const f of m.files) {
      const bytes = read(first.dir, f.name);
      expect(f.sha256).toBe(sha256(bytes));
      expect(f.bytes).toBe(bytes.byteLength);
    }
    for (const t of m.tables) expect(t.data_sha256).toBe(sha256(read(first.dir, t.file)));
    expect(m.tables.map((t) => t.name)).toEqual([
      'kpi_province',
      'kpi_communes',
      'rankings',
      'warnings',
      'data_quality',
      'submissions',
    ]);
    // Progress: every step, in order, then done.
    expect(first.progress.map((p) => p.step)).toEqual([
      'query',
      'workbook',
      'csv',
      'charts',
      'pdf',
      'manifest',
      'manifest',
    ]);
    expect(first.progress.at(-1)?.done).toBe(first.progress.at(-1)?.total);
  });

  it('the CSVs hold the views’ rows, sorted, without a generation time', () => {
    // A UTF-8 byte-order mark first, so that Excel on Windows reads Vietnamese (then the CSV text).
    const raw = readFileSync(join(first.dir, 'kpi_province.csv'));
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = raw.subarray(3).toString('utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'year,phase,kpi,kpi_label,numerator,denominator,value_pct,comparator,target_pct,target_wording,met,communes_reporting,communes_expected,coverage_pct,gap_units,year_closed',
    );
    expect(lines).toHaveLength(1 + PLAN.kpis.length);
    // 2 of 102 communes reported: 75 % is a value, but from 1.96 % coverage — not judged (met empty, no gap);
    // 2026's deadline had passed at the pack's as_of.
    expect(lines[1]).toMatch(
      /^2026,P1,leader_standard,LĐQL đạt chuẩn khung năng lực VTVL,3,4,75,gt,90,Trên 90%,,2,102,1\.960784,,true$/, // doubles carry 6 decimals in packs
    );
    // A commune KPI is judged whatever the coverage: 2 of 102 on time (both before 5 November) need 100 more.
    expect(lines.find((l) => l.startsWith('2026,P1,report_on_time,'))).toMatch(
      /,false,2,102,[0-9.]+,100,true$/,
    );
    const register = readFileSync(join(first.dir, 'submissions.csv'), 'utf8').replace(/^\uFEFF/, '');
    expect(register).not.toContain(first.manifest.generated_at.slice(0, 10));
    expect(register.split('\r\n')[1]).toMatch(/^2026,28249,Phường Đạo Thạnh,1,/);
  });

  it('the workbook opens with exceljs: expected sheets, values and met / not-met formatting', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(join(first.dir, 'scorecard-annual-2026.xlsx')) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Tổng hợp',
      'Chỉ tiêu theo xã',
      'Xếp hạng',
      'Cảnh báo',
      'Chất lượng dữ liệu',
      'Báo cáo đã dùng',
    ]);
    const summary = wb.getWorksheet('Tổng hợp') as ExcelJS.Worksheet;
    const header = summary.getRow(2).values as unknown[];
    const col = (label: string) => header.indexOf(label);
    expect(col('Chỉ tiêu')).toBeGreaterThan(0);
    const rowOf = (kpi: string) => {
      for (let r = 3; r <= summary.rowCount; r++)
        if (summary.getCell(r, col('Mã chỉ tiêu')).value === kpi) return summary.getRow(r);
      throw new Error(kpi);
    };
    // Cadre KPIs from 2 of 102 communes are not judged (docs/kpis.md "Coverage"), and the sheet says why.
    const leader = rowOf('leader_standard');
    // Comparators in words (the CSV keeps the codes gt / gte).
    expect(leader.getCell(col('Phép so sánh')).value).toBe('trên (lớn hơn hẳn)');
    expect(rowOf('report_on_time').getCell(col('Phép so sánh')).value).toBe('từ (đạt trở lên)');
    expect(leader.getCell(col('Kết quả (%)')).value).toBe(75);
    expect(leader.getCell(col('Đánh giá')).value).toBe('Chưa đánh giá: 2/102 xã báo cáo');
    expect(leader.getCell(col('Tỷ lệ xã báo cáo (%)')).value).toBeCloseTo(200 / 102, 6);
    // Commune KPIs are judged: 2 of 102 reported on time — not met, in red; 100 more communes would meet it.
    const onTime = rowOf('report_on_time');
    expect(onTime.getCell(col('Đánh giá')).value).toBe('Không đạt');
    expect((onTime.getCell(col('Đánh giá')).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    expect(onTime.getCell(col('Còn thiếu (đơn vị)')).value).toBe(100);
    expect(rowOf('within_quota').getCell(col('Đánh giá')).value).toBe('Theo dõi');
    const ranking = wb.getWorksheet('Xếp hạng') as ExcelJS.Worksheet;
    expect(ranking.getCell(3, 1).value).toBe(YEAR);
    expect(ranking.getCell(3, 2).value).toBe(1);
    expect(ranking.rowCount).toBe(2 + 102);
    const register = wb.getWorksheet('Báo cáo đã dùng') as ExcelJS.Worksheet;
    expect(register.rowCount).toBe(2 + 2);
    // Severities and scopes in words, never codes (issue 25, item 8).
    const warnings = wb.getWorksheet('Cảnh báo') as ExcelJS.Worksheet;
    const wHeader = warnings.getRow(2).values as unknown[];
    const severities = new Set<unknown>();
    for (let r = 3; r <= warnings.rowCount; r++)
      severities.add(warnings.getCell(r, wHeader.indexOf('Mức cảnh báo')).value);
    expect([...severities].sort()).toEqual(['Cao', 'Nghiêm trọng', 'Thiếu số liệu']);
    expect(warnings.getCell(3, wHeader.indexOf('Phạm vi')).value).toBe('Toàn tỉnh');
  });

  it('the PDF reads in Vietnamese with its diacritics intact (pdftotext)', () => {
    const text = execFileSync(
      'pdftotext',
      ['-enc', 'UTF-8', join(first.dir, 'scorecard-annual-2026.pdf'), '-'],
      { encoding: 'utf8' },
    );
    const flat = text.normalize('NFC').replace(/\s+/g, ' ');
    for (const phrase of [
      'Tỉnh Đồng Tháp',
      'Xã, phường chuyển đổi số quản lý cán bộ',
      'Báo cáo hằng năm 2026',
      'Kết quả thực hiện các chỉ tiêu toàn tỉnh',
      'Phường Đạo Thạnh',
      'Không đạt',
      'Đúng – Đủ – Sạch – Sống',
      'Số liệu tính đến 10/11/2026 07:00 (giờ Việt Nam)',
    ]) {
      expect(flat).toContain(phrase);
    }
    // Officials read words, not codes (issue 25, item 8): severities and met / not met in Vietnamese, never the
    // codes the views carry.
    expect(flat).toContain('Nghiêm trọng'); // the pack has one critical province warning
    expect(flat).toContain('Thiếu số liệu');
    expect(flat).not.toMatch(/\b(gte|gt|critical|high|medium|missing|true|false|null)\b/);
  });

  it('review and final packs take their years from the plan: P1 year by year and at its end; both phases', async () => {
    const p1 = PLAN.phases.find((p) => p.closing_meeting === 'review');
    const review = packScope(PLAN, 'review', Math.max(...(p1?.years ?? [])));
    expect(review.years).toEqual(p1?.years);
    expect(review.phaseEnds).toEqual([{ phase: p1?.code, year: Math.max(...(p1?.years ?? [])) }]);
    const final = packScope(PLAN, 'final', Math.max(...PLAN.years));
    expect(final.years).toEqual(PLAN.years);
    expect(final.phaseEnds.map((p) => p.phase)).toEqual(PLAN.phases.map((p) => p.code));
    expect(() => packScope(PLAN, 'annual', 2031)).toThrow(RangeError);

    const dir = join(tempDir('scorecard-out-'), 'review');
    const m = await createMeetingPack({
      dataDir,
      year: YEAR,
      meeting: 'review',
      asOf: AS_OF,
      outDir: dir,
      now: LATER,
    });
    expect(m.years).toEqual(p1?.years);
    expect(m.tables.map((t) => t.name)).toContain('phase_results');
    expect(m.files.map((f) => f.name)).toContain('scorecard-review-2026-2028.pdf');
    const text = execFileSync(
      'pdftotext',
      ['-enc', 'UTF-8', join(dir, 'scorecard-review-2026-2028.pdf'), '-'],
      { encoding: 'utf8' },
    );
    expect(text.replace(/\s+/g, ' ')).toContain('Sơ kết giai đoạn 2026 – 2028');
  }, 120_000);
});

describe('CSV formula neutralisation', () => {
  it('prefixes cells starting with = + - @ (and tab, CR) and quotes separators', () => {
    const columns = [
      { code: 'text', label: 'col_commune' as const, type: 'string' as const },
      { code: 'n', label: 'col_value' as const, type: 'double' as const },
    ];
    const rows = [
      { text: '=HYPERLINK("http://x","y")', n: -1.5 },
      { text: '+1', n: 0.1 + 0.2 },
      { text: '-2+3', n: null },
      { text: '@SUM(A1)', n: 1 },
      { text: '\tcmd', n: 2 },
      { text: 'Xã, phường "A"', n: 3 },
    ];
    expect(tableCsv({ columns, rows }).split('\r\n')).toEqual([
      'text,n',
      `"'=HYPERLINK(""http://x"",""y"")",-1.5`,
      "'+1,0.3",
      "'-2+3,",
      "'@SUM(A1),1",
      "'\tcmd,2",
      '"Xã, phường ""A""",3',
      '',
    ]);
  });
});

describe('export schedule', () => {
  it('annual packs fall due at the 5 November deadline (Asia/Ho_Chi_Minh), review and final after their phases', () => {
    const firstDue = exportSchedule(PLAN)[0];
    expect(firstDue).toEqual({ meeting: 'annual', year: YEAR, due: new Date('2026-11-05T17:00:00Z') });
    expect(dueExports(PLAN, new Date('2026-11-05T16:59:59.999Z'))).toEqual([]);
    expect(dueExports(PLAN, new Date('2026-11-05T17:00:00Z')).map((d) => `${d.meeting}-${d.year}`)).toEqual([
      'annual-2026',
    ]);
    const p1End = Math.max(...(PLAN.phases[0]?.years ?? []));
    expect(
      dueExports(PLAN, new Date(`${p1End}-11-06T00:00:00Z`)).map((d) => `${d.meeting}-${d.year}`),
    ).toEqual([...PLAN.years.filter((y) => y <= p1End).map((y) => `annual-${y}`), `review-${p1End}`]);
    const all = dueExports(PLAN, new Date('2031-01-01T00:00:00Z'));
    expect(all.filter((d) => d.meeting === 'annual')).toHaveLength(PLAN.years.length);
    expect(all.filter((d) => d.meeting !== 'annual').map((d) => d.meeting)).toEqual(['review', 'final']);
  });
});

describe('export service and CLI', () => {
  const dataDir = tempDir('scorecard-svc-');
  const store = new FsObjectStore(dataDir);
  const clock = new ManualClock('2026-10-01T03:00:00Z');

  beforeAll(async () => {
    const ingest = new IngestService({ store, clock, personKey: personKeyFromSecret('svc-secret') });
    await ingest.ingest(validSubmission(), { actor: admin });
    clock.set('2026-11-07T00:00:00Z');
  }, 60_000);

  it('queues a pack, runs it into exports/<id>/ with a status record, and serves its files', async () => {
    const service = localExportService({ dataDir, store, clock });
    const { export_id } = await service.request({ meeting: 'annual', year: YEAR, requestedBy: 'leader-1' });
    const queued = await service.get(export_id);
    expect(['queued', 'running', 'done']).toContain(queued?.status);
    const done = await service.wait(export_id);
    expect(done?.status).toBe('done');
    expect(done?.progress).toEqual({ step: 'manifest', done: 6, total: 6 });
    expect(done?.as_of).toBe('2026-11-07T00:00:00.000Z');
    expect(done?.files.at(-1)?.name).toBe('manifest.json');
    const stored = await service.get(export_id);
    expect(stored).toEqual(done);
    const csv = await service.file(export_id, 'kpi_province.csv');
    expect(csv?.contentType).toBe('text/csv; charset=utf-8');
    expect(sha256(csv?.bytes as Uint8Array)).toBe(
      done?.files.find((f) => f.name === 'kpi_province.csv')?.sha256,
    );
    expect(existsSync(join(dataDir, 'exports', export_id, 'scorecard-annual-2026.pdf'))).toBe(true);
    expect(await service.file(export_id, '../status.json')).toBeNull();
    expect(await service.file(export_id, 'status.json')).toBeNull();
    expect(await service.get('../../raw')).toBeNull();
    expect((await service.list()).map((s) => s.export_id)).toContain(export_id);
    // Annual 2026 is now written: nothing else is due on 7 November 2026.
    expect(await service.dueNotWritten()).toEqual([]);
  }, 120_000);

  it('a queued or running record left by a dead process reads as failed and does not block --due', async () => {
    const dir = tempDir('scorecard-stale-');
    const staleStore = new FsObjectStore(dir);
    const now = new ManualClock('2026-11-07T00:00:00Z');
    const service = localExportService({ dataDir: dir, store: staleStore, clock: now });
    const record = (id: string, updatedAt: string) => ({
      export_id: id,
      meeting: 'annual',
      year: YEAR,
      years: [YEAR],
      as_of: '2026-11-06T00:00:00.000Z',
      status: 'running',
      progress: { step: 'pdf', done: 4, total: 6 },
      files: [],
      requested_by: 'x',
      created_at: updatedAt,
      updated_at: updatedAt,
    });
    const stale = '01a21700-0000-7000-8000-000000000001';
    await staleStore.put(
      `exports/${stale}/status.json`,
      JSON.stringify(record(stale, '2026-11-06T23:40:00.000Z')),
    );
    expect((await service.get(stale))?.status).toBe('failed');
    expect((await service.dueNotWritten()).map((d) => `${d.meeting}-${d.year}`)).toEqual([`annual-${YEAR}`]);
    const live = '01a21700-0000-7000-8000-000000000002';
    await staleStore.put(
      `exports/${live}/status.json`,
      JSON.stringify(record(live, '2026-11-06T23:55:00.000Z')),
    );
    expect((await service.get(live))?.status).toBe('running');
    expect(await service.dueNotWritten()).toEqual([]);
  });

  it('refuses a bad meeting, a year outside the plan and an as-of in the future', async () => {
    const service = localExportService({ dataDir, store, clock });
    await expect(
      service.request({ meeting: 'weekly' as 'annual', year: YEAR, requestedBy: 'x' }),
    ).rejects.toThrow(ExportRequestError);
    await expect(service.request({ meeting: 'annual', year: 2031, requestedBy: 'x' })).rejects.toThrow(
      ExportRequestError,
    );
    await expect(
      service.request({
        meeting: 'annual',
        year: YEAR,
        asOf: new Date(clock.now().getTime() + 1000),
        requestedBy: 'x',
      }),
    ).rejects.toThrow(/future/);
  });

  it('npm run export writes a pack to --out with progress, and --due writes what is due and not yet written', () => {
    const out = join(tempDir('scorecard-cli-'), 'pack');
    const env = { ...process.env, DATA_DIR: dataDir, SCORECARD_NOW: '2026-11-08T00:00:00Z' };
    const cli = join(process.cwd(), 'functions/src/entry/cli/export.ts');
    // node --import tsx, not npx: one process per command, as `npm run export` does it.
    const run = (args: string[], extra: Record<string, string> = {}) =>
      spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
        env: { ...env, ...extra },
        encoding: 'utf8',
      });
    const r = run([
      '--year',
      String(YEAR),
      '--meeting',
      'annual',
      '--as-of',
      '2026-11-07T00:00:00Z',
      '--out',
      out,
    ]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('annual 2026 [1/6] query');
    expect(r.stderr).toContain('annual 2026: xong / done');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.as_of).toBe('2026-11-07T00:00:00.000Z');
    expect(r.stdout).toContain(manifest.data_sha256);
    // Annual 2026 was written by the service test above; on 6 November 2027 only the 2027 annual pack is due.
    const next = run(['--due'], { SCORECARD_NOW: '2027-11-06T00:00:00Z' });
    expect(next.status).toBe(0);
    expect(next.stdout).toMatch(/^annual 2027: .*exports.* data_sha256=[0-9a-f]{64}$/m);
    expect(next.stdout).not.toContain('annual 2026');
    const bad = run(['--year', String(YEAR), '--meeting', 'weekly']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('usage');
  }, 180_000);
});
