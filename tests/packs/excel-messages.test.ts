// Messages a commune officer can act on (issue 25, item 5), over loopback against the real server as the
// officer of 28249. A cell formatted as a date where a year belongs shows the date as the cell shows it and
// says to type the year; a %-formatted cell where a count belongs says so (and is never read as 1 for
// "100 %"); "1.320" typed as text says to type 1320; soft findings of an accepted workbook point at cells;
// and every message comes in the workbook's sheet order, then row, then column (generated orders).

import { buildTemplate } from '@scorecard/functions/excel/index.ts';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cadre, validSubmission } from '../helpers/fixtures.ts';
import { type TestServer, testServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => {
  await s.close();
});

interface Answer {
  status: number;
  body: {
    errors?: { path: string; code: string; message_vi: string; message_en: string }[];
    soft_findings?: { path: string; code: string }[];
  };
}

let round = 0;

/** The officer's workbook, filled from a valid submission, then edited by `edit`. */
async function workbook(
  edit: (wb: ExcelJS.Workbook, at: (sheet: string, code: string, row?: number) => ExcelJS.Cell) => void,
  sub = validSubmission(),
): Promise<Uint8Array> {
  sub.report.dialogues_held = 200 + round++; // a new version each time
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(
    (await buildTemplate({
      prefill: { ...sub, cadres: sub.cadres.map(({ national_id: _n, ...c }) => c) },
    })) as unknown as ArrayBuffer,
  );
  const at = (sheet: string, code: string, row?: number): ExcelJS.Cell => {
    const ws = wb.getWorksheet(sheet) as ExcelJS.Worksheet;
    if (sheet === 'BaoCao') {
      for (let r = 1; r <= ws.rowCount; r++) if (ws.getCell(r, 3).value === code) return ws.getCell(r, 2);
      throw new Error(code);
    }
    let col = 0;
    ws.getRow(3).eachCell((c, j) => {
      if (c.value === code) col = j;
    });
    if (col === 0) throw new Error(code);
    return ws.getCell(row ?? 4, col);
  };
  sub.cadres.forEach((c, i) => {
    at('CanBo', 'national_id', 4 + i).value = c.national_id as string;
  });
  edit(wb, at);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

async function upload(bytes: Uint8Array, dryRun = false): Promise<Answer> {
  const form = new FormData();
  form.append('file', new Blob([bytes as BlobPart]), 'baocao.xlsx');
  const r = await s.call(`/api/v1/submissions${dryRun ? '?dry_run=true' : ''}`, {
    method: 'POST',
    token: s.tokens.commune,
    body: form,
  });
  return { status: r.status, body: (await r.json()) as Answer['body'] };
}

const errorAt = (a: Answer, cell: ExcelJS.Cell, sheet: string) =>
  a.body.errors?.find((e) => e.path === `${sheet}!${cell.address}`);

describe('messages an officer can act on', () => {
  it('a date where a year belongs: shows the date as the cell shows it and says to type the year', async () => {
    let cell: ExcelJS.Cell | undefined;
    const a = await upload(
      await workbook((_wb, at) => {
        cell = at('CanBo', 'birth_year', 5);
        cell.value = new Date(Date.UTC(1995, 2, 15));
        cell.numFmt = 'dd/mm/yyyy';
      }),
    );
    expect(a.status).toBe(422);
    const e = errorAt(a, cell as ExcelJS.Cell, 'CanBo');
    expect(e?.code).toBe('excel_date_for_year');
    expect(e?.message_vi).toContain('15/03/1995');
    expect(e?.message_vi).toContain('1995');
    expect(e?.message_en).toContain('1995');
  });

  it('a date where a count belongs says the cell is a date, with what it shows', async () => {
    let cell: ExcelJS.Cell | undefined;
    const a = await upload(
      await workbook((_wb, at) => {
        cell = at('BaoCao', 'report.staff_quota');
        cell.value = new Date(Date.UTC(2026, 0, 31));
      }),
    );
    const e = errorAt(a, cell as ExcelJS.Cell, 'BaoCao');
    expect(e?.code).toBe('excel_date_for_number');
    expect(e?.message_vi).toContain('31/01/2026');
  });

  it('a %-formatted cell where a whole number belongs is refused, whatever it holds (100 % is not 1)', async () => {
    for (const [value, shown] of [
      [0.85, '85%'],
      [1, '100%'],
      [0, '0%'],
    ] as const) {
      let cell: ExcelJS.Cell | undefined;
      const a = await upload(
        await workbook((_wb, at) => {
          cell = at('BaoCao', 'report.civil_servants');
          cell.value = value;
          cell.numFmt = '0%';
        }),
      );
      expect(a.status, shown).toBe(422);
      const e = errorAt(a, cell as ExcelJS.Cell, 'BaoCao');
      expect(e?.code, shown).toBe('excel_percent_for_number');
      expect(e?.message_vi).toContain(shown);
    }
  });

  it('"1.320", "1,320" or "1 320" typed as text says to type 1320 (generated)', async () => {
    const forms = fc.sample(
      fc.tuple(
        fc.integer({ min: 1, max: 999 }),
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom('.', ',', ' ', '\u00a0'),
      ),
      4,
    );
    for (const [thousands, units, sep] of forms) {
      const typed = `${thousands}${sep}${String(units).padStart(3, '0')}`;
      const meant = String(thousands * 1000 + units);
      let cell: ExcelJS.Cell | undefined;
      const a = await upload(
        await workbook((_wb, at) => {
          cell = at('BaoCao', 'report.survey.citizen_respondents');
          cell.value = typed;
        }),
      );
      const e = errorAt(a, cell as ExcelJS.Cell, 'BaoCao');
      expect(e?.code, typed).toBe('excel_thousands_separator');
      expect(e?.message_vi).toContain(meant);
      expect(e?.message_en).toContain(meant);
    }
  });

  it('soft findings of an accepted workbook point at cells, not JSON paths', async () => {
    const sub = validSubmission();
    sub.cadres.push(cadre(30, { position: 'Chủ tịch UBND', is_leader: false }));
    sub.report.civil_servants += 5; // the roster no longer matches the declared count
    let leaderCell: ExcelJS.Cell | undefined;
    let declared: ExcelJS.Cell | undefined;
    const a = await upload(
      await workbook((_wb, at) => {
        leaderCell = at('CanBo', 'is_leader', 4 + sub.cadres.length - 1);
        declared = at('BaoCao', 'report.civil_servants');
      }, sub),
    );
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    const paths = (a.body.soft_findings ?? []).map((f) => [f.code, f.path]);
    expect(paths).toContainEqual(['leader_title_not_leader', `CanBo!${leaderCell?.address}`]);
    expect(paths).toContainEqual(['civil_servants_mismatch', `BaoCao!${declared?.address}`]);
    for (const [, p] of paths) expect(p).toMatch(/^(BaoCao|BienChe|SangKien|CanBo)!/);
  });

  it('every message in sheet order, then row, then column — not alphabetical (generated)', async () => {
    const sheetOrder = ['BaoCao', 'BienChe', 'SangKien', 'CanBo'];
    // Bad cells on several sheets, rows 4..12 and columns A..AB, so that "AA5" < "B4" and "B10" < "B9" as text.
    const edits = fc.sample(
      fc.uniqueArray(
        fc.constantFrom(
          ['BaoCao', 'report.staff_quota'],
          ['BaoCao', 'year'],
          ['BienChe', 'required'],
          ['SangKien', 'replicated'],
          ['CanBo', 'birth_year'],
          ['CanBo', 'position'],
          ['CanBo', 'evaluation.integrity'],
          ['CanBo', 'rotated_in'],
        ),
        { minLength: 4, maxLength: 8 },
      ),
      3,
    );
    for (const chosen of edits) {
      const a = await upload(
        await workbook((_wb, at) => {
          chosen.forEach(([sheet, code], i) => {
            at(sheet as string, code as string, 4 + ((i * 5) % 9)).value = code === 'position' ? '' : 'sai';
          });
        }),
        true,
      );
      const cells = (a.body.errors ?? []).map((e) => e.path);
      expect(cells.length).toBeGreaterThan(1);
      const key = (p: string) => {
        const m = /^(\w+)!([A-Z]+)(\d+)$/.exec(p);
        if (!m) return [-1, 0, 0];
        const col = [...(m[2] as string)].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
        return [sheetOrder.indexOf(m[1] as string), Number(m[3]), col];
      };
      const sorted = [...cells].sort((x, y) => {
        const [a1, b1, c1] = key(x);
        const [a2, b2, c2] = key(y);
        return (
          (a1 as number) - (a2 as number) ||
          (b1 as number) - (b2 as number) ||
          (c1 as number) - (c2 as number)
        );
      });
      expect(cells).toEqual(sorted);
    }
  });
});
