// `npm run sql -- "SELECT ..." [--format table|csv|json] [--as analyst|admin]` (docs/interfaces.md), run as a real
// process over a data folder, with SCORECARD_NOW fixing the clock.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { formatCsv, formatTable } from '@scorecard/functions/entry/cli/sql.ts';
import { IngestService } from '@scorecard/functions/ingest/ingest-service.ts';
import { personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validSubmission } from '../helpers/fixtures.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;

async function sql(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'functions/src/entry/cli/sql.ts', ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dir, SCORECARD_NOW: '2026-12-01T00:00:00Z' },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scorecard-cli-'));
  const svc = new IngestService({
    store: new FsObjectStore(dir),
    clock: new ManualClock('2026-10-01T00:00:00Z'),
    personKey: personKeyFromSecret('cli'),
  });
  expect((await svc.ingest(validSubmission(), { actor: { sub: 'a', role: 'admin' } })).status).toBe(
    'accepted',
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run sql', () => {
  it('--format json prints one array of row objects (numbers as numbers, NULL as null); --as analyst applies the guard', async () => {
    const [json, analyst] = await Promise.all([
      sql([
        "select kpi, numerator, denominator, value_pct, met from kpi_commune_year where commune_code = '28261' and kpi in ('leader_standard', 'report_on_time') order by kpi",
        '--format',
        'json',
      ]),
      sql(['select * from cadre_gaps', '--as', 'analyst']),
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      { kpi: 'leader_standard', numerator: null, denominator: null, value_pct: null, met: null },
      { kpi: 'report_on_time', numerator: 0, denominator: 1, value_pct: 0, met: false },
    ]);
    // exit code 1, the reason in Vietnamese and English
    expect(analyst.code).toBe(1);
    expect(analyst.stderr).toContain('sql_rejected');
    expect(analyst.stderr).toContain('Câu lệnh SQL không được phép');
  });

  it('--format csv quotes per RFC 4180 and prints NULL as empty; the table format aligns columns', () => {
    const result = {
      columns: [
        { name: 'commune_code', type: 'VARCHAR' },
        { name: 'name', type: 'VARCHAR' },
        { name: 'score', type: 'DOUBLE' },
      ],
      rows: [
        { commune_code: '28249', name: 'Phường Đạo Thạnh', score: 90.5 },
        { commune_code: '28261', name: 'Tên "có", dấu phẩy', score: null },
      ],
    };
    expect(formatCsv(result)).toBe(
      'commune_code,name,score\n28249,Phường Đạo Thạnh,90.5\n28261,"Tên ""có"", dấu phẩy",\n',
    );
    expect(formatTable(result).split('\n')).toEqual([
      'commune_code | name               | score',
      '-------------+--------------------+------',
      '28249        | Phường Đạo Thạnh   | 90.5',
      '28261        | Tên "có", dấu phẩy | NULL',
      '(2 rows)',
      '',
    ]);
  });
});
