// The .xlsx submission template: structure, round trip (property test), cell-level errors in vi and en, the
// 11-digit CCCD message, and hostile files (zip bombs, lying headers, huge ranges, formulas, too many rows).
import {
  COMMUNES,
  PLAN,
  type Submission,
  TRAINING,
  type ValidationContext,
  validateSubmission,
} from '@scorecard/data-contracts';
import { buildTemplate, submissionFromWorkbook, workbookErrors } from '@scorecard/functions/excel/index.ts';
import { CODE_LISTS } from '@scorecard/functions/excel/layout.ts';
import { codeForLabel } from '@scorecard/functions/excel/parse.ts';
import type ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { submissionArb } from '../helpers/arbitraries.ts';
import { validSubmission } from '../helpers/fixtures.ts';
import { colOf, loadWorkbook } from '../helpers/workbook.ts';
import { editEntry, zip } from '../helpers/zip.ts';

const ctx: ValidationContext = {
  currentYear: 2030,
  planYears: PLAN.years,
  communeCodes: new Set(COMMUNES.map((c) => c.commune_code)),
};

function withoutIds(s: Submission) {
  return { ...s, cadres: s.cadres.map(({ national_id: _id, ...c }) => c) };
}

async function save(wb: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** Row of a report field code on BaoCao (codes in column C, values in column B). */
function reportRow(ws: ExcelJS.Worksheet, code: string): number {
  for (let r = 1; r <= ws.rowCount; r++) if (ws.getCell(r, 3).value === code) return r;
  throw new Error(`no report row ${code}`);
}

/** A user fills the template: the server pre-fills everything but the CCCDs, which the user types as text. */
async function filledFrom(s: Submission): Promise<Uint8Array> {
  const wb = await loadWorkbook(await buildTemplate({ prefill: withoutIds(s) }));
  const ws = wb.getWorksheet('CanBo') as ExcelJS.Worksheet;
  const col = colOf(ws, 'national_id');
  s.cadres.forEach((c, i) => {
    if (c.national_id !== undefined) ws.getCell(4 + i, col).value = c.national_id;
  });
  return save(wb);
}

/** The contract's JSON with trainings in code-list order (the template has one column per training). */
function expectedJson(s: Submission): unknown {
  return {
    ...s,
    cadres: s.cadres.map((c) => ({ ...c, trainings: TRAINING.codes.filter((t) => c.trainings.includes(t)) })),
  };
}

describe('the .xlsx template — structure', () => {
  it('has the instruction, report, staffing, initiative, cadre and hidden list sheets, Vietnamese headers and a code row', async () => {
    const wb = await loadWorkbook(await buildTemplate());
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'HuongDan',
      'BaoCao',
      'BienChe',
      'SangKien',
      'CanBo',
      'DanhMuc',
    ]);
    expect(wb.getWorksheet('DanhMuc')?.state).toBe('hidden');
    const canBo = wb.getWorksheet('CanBo') as ExcelJS.Worksheet;
    const cccd = colOf(canBo, 'national_id');
    expect(String(canBo.getCell(2, cccd).value)).toContain('Số CCCD');
    expect(canBo.getRow(3).font?.size).toBeLessThan(9);
    // The CCCD column is text, so Excel keeps a leading zero.
    expect(canBo.getColumn(cccd).numFmt).toBe('@');
    expect(canBo.getCell(10, cccd).numFmt).toBe('@');
    // Code lists are drop-downs of Vietnamese labels; booleans Có/Không.
    const category = canBo.getCell(4, colOf(canBo, 'category')).dataValidation;
    expect(category?.type).toBe('list');
    const listSheet = wb.getWorksheet('DanhMuc') as ExcelJS.Worksheet;
    const ref = String(category?.formulae?.[0]);
    const col = /DanhMuc!\$([A-Z]+)\$/.exec(ref)?.[1] as string;
    const labels = [2, 3, 4, 5].map((r) => listSheet.getCell(`${col}${r}`).value);
    expect(labels).toEqual(['Cán bộ', 'Công chức', 'Viên chức', 'Hợp đồng']);
    const leader = canBo.getCell(500, colOf(canBo, 'is_leader')).dataValidation;
    const boolCol = /DanhMuc!\$([A-Z]+)\$/.exec(String(leader?.formulae?.[0]))?.[1] as string;
    expect([listSheet.getCell(`${boolCol}2`).value, listSheet.getCell(`${boolCol}3`).value]).toEqual([
      'Có',
      'Không',
    ]);
    const baoCao = wb.getWorksheet('BaoCao') as ExcelJS.Worksheet;
    expect(baoCao.getCell(reportRow(baoCao, 'report.staff_quota'), 1).value).toBe(
      'Biên chế công chức được giao',
    );
    expect(baoCao.getCell(reportRow(baoCao, 'schema_version'), 2).value).toBe(1);
    const guide = wb.getWorksheet('HuongDan') as ExcelJS.Worksheet;
    const text = guide.getColumn(1).values.join('\n');
    expect(text).toContain('Số CCCD');
    expect(text).toContain('Phó Chủ tịch UBND'); // the example row
  });

  it('pre-fills from a stored submission with labels, Có/Không and no national ID or person key anywhere', async () => {
    const s = validSubmission();
    const stored = { ...s, cadres: s.cadres.map((c) => ({ ...c, person_key: 'f'.repeat(64) })) };
    const bytes = await buildTemplate({ prefill: stored });
    const wb = await loadWorkbook(bytes);
    const cells: string[] = [];
    for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.value))));
    for (const c of s.cadres) expect(cells.some((v) => v.includes(c.national_id as string))).toBe(false);
    expect(cells.some((v) => v.includes('f'.repeat(64)))).toBe(false);
    const canBo = wb.getWorksheet('CanBo') as ExcelJS.Worksheet;
    expect(canBo.getCell(4, colOf(canBo, 'category')).value).toBe('Cán bộ');
    expect(canBo.getCell(4, colOf(canBo, 'is_leader')).value).toBe('Có');
    expect(canBo.getCell(6, colOf(canBo, 'is_leader')).value).toBe('Không');
    expect(canBo.getCell(4, colOf(canBo, 'national_id')).value).toBeNull();
    const parsed = await submissionFromWorkbook(bytes);
    expect(parsed.errors).toEqual([]);
    expect(parsed.raw).toEqual(expectedJson(withoutIds(s) as Submission));
  });
});

/** The new tone-mark placement written the old way ("hóa" → "hoá", "thủy" → "thuỷ"): both occur in real files. */
function oldTones(text: string): string {
  return text
    .normalize('NFD')
    .replace(/([oO])([\u0300\u0301\u0303\u0309\u0323])([aeAE])/g, '$1$3$2')
    .replace(/([uU])([\u0300\u0301\u0303\u0309\u0323])([yY])/g, '$1$3$2')
    .normalize('NFC');
}

/** How a person may type a label: any dash, spacing, case, Unicode form and tone placement. */
const labelVariant = fc
  .record({
    dash: fc.constantFrom('–', '-', '‐', '—', '−', ' - ', ' -', '- ', '–'),
    casing: fc.constantFrom('as-is', 'lower', 'upper'),
    nfd: fc.boolean(),
    tones: fc.boolean(),
    pad: fc.constantFrom('', ' ', '  ', '\u00a0'),
  })
  .map((v) => (label: string) => {
    let t = label
      .replace(/\s*[–-]\s*/g, (m) => (m.includes(' ') && !v.dash.includes(' ') ? ` ${v.dash} ` : v.dash))
      .replace(/ /g, v.pad === '\u00a0' ? '\u00a0' : ' ');
    if (v.tones) t = oldTones(t);
    if (v.casing === 'lower') t = t.toLocaleLowerCase('vi');
    if (v.casing === 'upper') t = t.toLocaleUpperCase('vi');
    if (v.nfd) t = t.normalize('NFD');
    return `${v.pad}${t}${v.pad}`;
  });

/** Every cell of the roster and staffing sheets that holds a code-list label, typed another way. */
async function withLabelVariants(bytes: Uint8Array, variant: (label: string) => string): Promise<Uint8Array> {
  const labels = new Set(Object.values(CODE_LISTS).flatMap((l) => Object.values(l.labels).map((x) => x.vi)));
  const wb = await loadWorkbook(bytes);
  for (const name of ['CanBo', 'BienChe']) {
    const ws = wb.getWorksheet(name) as ExcelJS.Worksheet;
    ws.eachRow((row, r) => {
      if (r < 4) return;
      row.eachCell((cell) => {
        if (typeof cell.value === 'string' && labels.has(cell.value)) cell.value = variant(cell.value);
      });
    });
  }
  return save(wb);
}

describe('the .xlsx template — round trip', () => {
  it('a template filled from a JSON submission parses back to identical JSON, labels typed any way (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        submissionArb(
          COMMUNES.map((c) => c.commune_code),
          PLAN.years,
        ),
        labelVariant,
        async (s, variant) => {
          const parsed = await submissionFromWorkbook(await withLabelVariants(await filledFrom(s), variant));
          expect(parsed.errors).toEqual([]);
          expect(parsed.raw).toEqual(expectedJson(s));
          expect(validateSubmission(parsed.raw, ctx).errors).toEqual([]);
        },
      ),
      { numRuns: 15, seed: 20261105 },
    );
  }, 120_000);

  it('"Văn phòng - thống kê" (a hyphen) means "Văn phòng – thống kê"; the code itself is accepted; every label in every spelling', () => {
    expect(codeForLabel('staffing_field', 'Văn phòng - thống kê')).toBe('van_phong_thong_ke');
    expect(codeForLabel('staffing_field', 'van_phong_thong_ke')).toBe('van_phong_thong_ke');
    fc.assert(
      fc.property(labelVariant, (variant) => {
        for (const [list, { codes, labels }] of Object.entries(CODE_LISTS) as [
          keyof typeof CODE_LISTS,
          (typeof CODE_LISTS)[keyof typeof CODE_LISTS],
        ][]) {
          for (const code of codes) {
            const vi = labels[code]?.vi;
            if (vi)
              expect(codeForLabel(list, variant(vi)), `${list} ${JSON.stringify(variant(vi))}`).toBe(code);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('reads labels typed by hand: Vietnamese or English labels, codes, lower case, TRUE/FALSE, numbers as text', async () => {
    const s = validSubmission();
    const wb = await loadWorkbook(await filledFrom(s));
    const canBo = wb.getWorksheet('CanBo') as ExcelJS.Worksheet;
    canBo.getCell(4, colOf(canBo, 'education')).value = 'thạc sĩ';
    canBo.getCell(5, colOf(canBo, 'org_unit')).value = 'Military Command';
    canBo.getCell(6, colOf(canBo, 'category')).value = 'vien_chuc';
    canBo.getCell(7, colOf(canBo, 'record_digitized')).value = false;
    canBo.getCell(8, colOf(canBo, 'birth_year')).value = '1990';
    const baoCao = wb.getWorksheet('BaoCao') as ExcelJS.Worksheet;
    baoCao.getCell(reportRow(baoCao, 'commune_code'), 2).value = 28261; // a number, not the drop-down label
    const parsed = await submissionFromWorkbook(await save(wb));
    expect(parsed.errors).toEqual([]);
    const raw = parsed.raw as Submission;
    expect(raw.commune_code).toBe('28261');
    expect(raw.cadres[0]?.education).toBe('thac_si');
    expect(raw.cadres[1]?.org_unit).toBe('bchqs');
    expect(raw.cadres[2]?.category).toBe('vien_chuc');
    expect(raw.cadres[3]?.record_digitized).toBe(false);
    expect(raw.cadres[4]?.birth_year).toBe(1990);
  });

  it('skips blank rows and omits empty optional cells; a row number alone is not a cadre', async () => {
    const s = validSubmission();
    const wb = await loadWorkbook(await filledFrom(s));
    const canBo = wb.getWorksheet('CanBo') as ExcelJS.Worksheet;
    canBo.getCell(40, 1).value = 37;
    const parsed = await submissionFromWorkbook(await save(wb));
    const raw = parsed.raw as Submission;
    expect(raw.cadres).toHaveLength(5);
    expect(raw.cadres[0]).not.toHaveProperty('gender');
    expect(raw.cadres[0]).not.toHaveProperty('on_probation');
  });
});

describe('the .xlsx template — errors point at cells', () => {
  it('a template with errors in three cells reports exactly those three, with Sheet!Cell, in vi and en', async () => {
    const wb = await loadWorkbook(await filledFrom(validSubmission()));
    const canBo = wb.getWorksheet('CanBo') as ExcelJS.Worksheet;
    const baoCao = wb.getWorksheet('BaoCao') as ExcelJS.Worksheet;
    const leaderCol = colOf(canBo, 'is_leader');
    const cccdCol = colOf(canBo, 'national_id');
    canBo.getCell(6, leaderCol).value = 'Có lẽ'; // not Có/Không (parse level)
    canBo.getCell(5, cccdCol).value = 87201010002; // a number: Excel dropped the leading zero (parse level)
    const satisfiedRow = reportRow(baoCao, 'report.survey.citizen_satisfied');
    baoCao.getCell(satisfiedRow, 2).value = 401; // more satisfied than respondents (validation, located)
    const parsed = await submissionFromWorkbook(await save(wb));
    const validation = validateSubmission(parsed.raw, ctx);
    const errors = workbookErrors(parsed, validation.errors);
    const letter = (col: number) => String.fromCharCode(64 + col);
    expect(errors.map((e) => [e.path, e.code])).toEqual([
      [`BaoCao!B${satisfiedRow}`, 'satisfied_exceeds_respondents'],
      [`CanBo!${letter(cccdCol)}5`, 'national_id_leading_zero'],
      [`CanBo!${letter(leaderCol)}6`, 'invalid_boolean'],
    ]);
    for (const e of errors) {
      expect(e.message_vi).toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/);
      expect(e.message_en).toMatch(/^[\x20-\x7e’—–]+$/);
    }
    expect(errors[0]?.message_vi).toBe('Số hài lòng (401) lớn hơn số người được khảo sát (400)');
  });

  it('an 11-digit CCCD says that Excel dropped a leading zero', async () => {
    const wb = await loadWorkbook(await filledFrom(validSubmission()));
    const canBo = wb.getWorksheet('CanBo') as ExcelJS.Worksheet;
    const col = colOf(canBo, 'national_id');
    canBo.getCell(4, col).value = 87201010001;
    const parsed = await submissionFromWorkbook(await save(wb));
    expect(parsed.errors).toHaveLength(1);
    const [e] = parsed.errors;
    expect(e?.code).toBe('national_id_leading_zero');
    expect(e?.path).toBe(`CanBo!${String.fromCharCode(64 + col)}4`);
    expect(e?.message_vi).toContain('Excel có thể đã bỏ mất số 0 ở đầu');
    expect(e?.message_en).toContain('dropped the leading zero');
    // Typed as text with 11 digits, validation says the same, located at the same cell.
    canBo.getCell(4, col).value = '87201010001';
    const again = await submissionFromWorkbook(await save(wb));
    expect(again.errors).toEqual([]);
    const v = validateSubmission(again.raw, ctx);
    expect(workbookErrors(again, v.errors).map((x) => [x.path, x.code])).toEqual([
      [e?.path, 'national_id_leading_zero'],
    ]);
  });

  it('locate maps validator pointers to cells, including rows after a blank row', async () => {
    const s = validSubmission();
    const wb = await loadWorkbook(await filledFrom(s));
    const canBo = wb.getWorksheet('CanBo') as ExcelJS.Worksheet;
    // Move the last cadre two rows down, leaving a blank row in between.
    const last = canBo.getRow(8);
    const moved = canBo.getRow(10);
    last.eachCell((c, col) => {
      moved.getCell(col).value = c.value;
    });
    canBo.spliceRows(8, 1, []);
    const parsed = await submissionFromWorkbook(await save(wb));
    const cccd = String.fromCharCode(64 + colOf(canBo, 'national_id'));
    expect(parsed.locate('/cadres/0/national_id')).toBe(`CanBo!${cccd}4`);
    expect(parsed.locate('/cadres/4/national_id')).toBe(`CanBo!${cccd}10`);
    expect(parsed.locate('/cadres/0/trainings/1')).toBe(
      `CanBo!${String.fromCharCode(64 + colOf(canBo, 'trainings.chuc_danh'))}4`,
    );
    expect(parsed.locate('/cadres/0/evaluation')).toBe(
      `CanBo!${String.fromCharCode(64 + colOf(canBo, 'evaluation.rating'))}4`,
    );
    expect(parsed.locate('/report/staffing/1/actual')).toBe('BienChe!C5');
    expect(parsed.locate('/report/initiatives/0/title')).toBe('SangKien!A4');
    expect(parsed.locate('/year')).toMatch(/^BaoCao!B\d+$/);
    expect(parsed.locate('/cadres/99/national_id')).toBeUndefined();
  });

  it('an unknown code or a missing column in the code row is reported at its cell', async () => {
    const wb = await loadWorkbook(await filledFrom(validSubmission()));
    const canBo = wb.getWorksheet('CanBo') as ExcelJS.Worksheet;
    canBo.getCell(3, colOf(canBo, 'gender')).value = 'gendr';
    const parsed = await submissionFromWorkbook(await save(wb));
    expect(parsed.errors.map((e) => e.code).sort()).toEqual(['excel_column_missing', 'unknown_field']);
    expect(parsed.errors.find((e) => e.code === 'unknown_field')?.path).toMatch(/^CanBo![A-Z]+3$/);
  });
});

// --- hostile files -------------------------------------------------------------------------------------------

describe('the .xlsx template — hostile files', () => {
  it('refuses a zip bomb from its declared size, before inflating', async () => {
    const bomb = zip([
      { name: 'xl/worksheets/sheet1.xml', data: new Uint8Array(1000), declaredSize: 4_000_000_000 },
    ]);
    const r = await submissionFromWorkbook(bomb);
    expect(r.raw).toBeNull();
    expect(r.errors.map((e) => [e.path, e.code])).toEqual([['', 'excel_too_large']]);
  });

  it('refuses a zip bomb whose headers lie about its size (inflation is capped)', async () => {
    const data = new Uint8Array(64 * 1024 * 1024); // 64 MB of zeros deflate to ~64 KB
    const bomb = zip([{ name: 'xl/worksheets/sheet1.xml', data, declaredSize: 1000 }]);
    expect(bomb.byteLength).toBeLessThan(200_000);
    const r = await submissionFromWorkbook(bomb);
    expect(r.errors.map((e) => e.code)).toEqual(['excel_too_large']);
  }, 30_000);

  it('refuses a sheet asking for a whole-sheet data validation or merge (cell expansion)', async () => {
    const xml =
      '<worksheet><dimension ref="A1:B2"/><dataValidations count="1"><dataValidation type="list" sqref="A1:XFD1048576"><formula1>"a"</formula1></dataValidation></dataValidations></worksheet>';
    const r = await submissionFromWorkbook(
      zip([{ name: 'xl/worksheets/sheet1.xml', data: new TextEncoder().encode(xml) }]),
    );
    expect(r.errors.map((e) => e.code)).toEqual(['excel_too_large']);
    const merge = '<worksheet><mergeCells><mergeCell ref="A1:Z100000"/></mergeCells></worksheet>';
    const m = await submissionFromWorkbook(
      zip([{ name: 'xl/worksheets/sheet1.xml', data: new TextEncoder().encode(merge) }]),
    );
    expect(m.errors.map((e) => e.code)).toEqual(['excel_too_large']);
  });

  it('refuses bytes that are not a workbook, with a catalogue message', async () => {
    for (const bytes of [
      new TextEncoder().encode('{"schema_version":1}'),
      new Uint8Array(0),
      zip([{ name: 'a.txt', data: new Uint8Array(3) }]),
    ]) {
      const r = await submissionFromWorkbook(bytes);
      expect(r.raw).toBeNull();
      expect(r.errors.map((e) => e.code)).toEqual(['excel_not_workbook']);
      expect(r.errors[0]?.message_vi).toContain('Excel');
    }
  });

  it('never evaluates formulas: a cached result is read as a value, a formula without one is an error', async () => {
    const wb = await loadWorkbook(await filledFrom(validSubmission()));
    const baoCao = wb.getWorksheet('BaoCao') as ExcelJS.Worksheet;
    const quota = reportRow(baoCao, 'report.staff_quota');
    const dialogues = reportRow(baoCao, 'report.dialogues_held');
    baoCao.getCell(quota, 2).value = {
      formula: 'WEBSERVICE("http://example.invalid")',
      result: 30,
    } as ExcelJS.CellFormulaValue;
    baoCao.getCell(dialogues, 2).value = { formula: '1+1' } as ExcelJS.CellFormulaValue;
    const parsed = await submissionFromWorkbook(await save(wb));
    expect((parsed.raw as Submission).report.staff_quota).toBe(30);
    expect(parsed.errors.map((e) => [e.path, e.code])).toEqual([
      [`BaoCao!B${dialogues}`, 'excel_formula_without_value'],
    ]);
  });

  it('caps the cadre rows at the contract limit', async () => {
    const s = validSubmission();
    const wb = await loadWorkbook(await filledFrom(s));
    const canBo = wb.getWorksheet('CanBo') as ExcelJS.Worksheet;
    const codeCol = colOf(canBo, 'cadre_code');
    for (let i = 0; i < 1000; i++) canBo.getCell(9 + i, codeCol).value = `X-${i}`;
    const parsed = await submissionFromWorkbook(await save(wb));
    expect((parsed.raw as Submission).cadres).toHaveLength(1000);
    const tooMany = parsed.errors.filter((e) => e.code === 'excel_too_many_rows');
    expect(tooMany.map((e) => e.path)).toEqual(['CanBo!A1004']);
  }, 60_000);
});

// --- merged cells (issue 25, item 1) --------------------------------------------------------------------------

describe('the .xlsx template — merged cells', () => {
  it('a merge over value cells is refused naming its range, on any sheet; a merge over labels is harmless (generated)', async () => {
    const s = validSubmission();
    const base = await filledFrom(s);
    // Where data is: BaoCao's value (B) and field-code (C) columns from its first field row (3); on CanBo, the
    // code row (3) and every row below it (one row, one cadre). Titles and labels above or beside are free.
    const rect = (maxRow: number, maxCol: number) =>
      fc
        .tuple(
          fc.integer({ min: 1, max: maxRow }),
          fc.integer({ min: 1, max: maxCol }),
          fc.integer({ min: 0, max: 2 }),
          fc.integer({ min: 0, max: 2 }),
        )
        .filter(([, , h, w]) => h + w > 0);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('BaoCao', 'CanBo'), rect(12, 6), async (sheet, [top, left, h, w]) => {
        const wb = await loadWorkbook(base);
        const ws = wb.getWorksheet(sheet) as ExcelJS.Worksheet;
        try {
          ws.mergeCells(top, left, top + h, left + w);
        } catch {
          return; // overlaps a merge the template already has
        }
        const parsed = await submissionFromWorkbook(await save(wb));
        const merged = parsed.errors.filter((e) => e.code === 'excel_merged_cells');
        let coversValue = false;
        for (let r = top; r <= top + h; r++)
          for (let c = left; c <= left + w; c++)
            coversValue ||= sheet === 'BaoCao' ? r >= 3 && (c === 2 || c === 3) : r >= 3;
        if (coversValue) {
          expect(merged.map((e) => e.path)).toEqual([
            `${sheet}!${colLetter(left)}${top}:${colLetter(left + w)}${top + h}`,
          ]);
          expect(merged[0]?.message_vi).toMatch(/gộp/);
        } else expect(merged).toEqual([]);
      }),
      { numRuns: 30, seed: 25 },
    );
  }, 120_000);

  it('two merged report values are refused instead of the second silently taking the first one’s figure', async () => {
    const wb = await loadWorkbook(await filledFrom(validSubmission()));
    const baoCao = wb.getWorksheet('BaoCao') as ExcelJS.Worksheet;
    // staff_quota's value and the value below it (the next field's): exceljs would give both the first figure.
    const a = reportRow(baoCao, 'report.staff_quota');
    const b = a + 1;
    expect(reportRowsOf(baoCao).has(b)).toBe(true);
    baoCao.mergeCells(a, 2, b, 2);
    const parsed = await submissionFromWorkbook(await save(wb));
    expect(parsed.errors.map((e) => [e.path, e.code])).toContainEqual([
      `BaoCao!B${a}:B${b}`,
      'excel_merged_cells',
    ]);
  });
});

/** Rows of BaoCao that carry a field code in column C. */
function reportRowsOf(ws: ExcelJS.Worksheet): Set<number> {
  const rows = new Set<number>();
  ws.eachRow((row, r) => {
    const v = row.getCell(3).value;
    if (typeof v === 'string' && /^[a-z_.]+$/.test(v) && v !== 'field_code') rows.add(r);
  });
  return rows;
}

function colLetter(col: number): string {
  let s = '';
  for (let c = col; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

// --- formulas with falsy cached results (issue 25, item 2) ------------------------------------------------------

describe('the .xlsx template — formula cells as Calc leaves them', () => {
  it('a cached 0, FALSE, TRUE or number is read as the value; only a formula without any cached value is an error (generated)', async () => {
    const base = await filledFrom(validSubmission());
    const wb = await loadWorkbook(base);
    const baoCao = wb.getWorksheet('BaoCao') as ExcelJS.Worksheet;
    const sheetPart = `xl/worksheets/sheet${baoCao.id}.xml`;
    const cases = {
      zero: { code: 'report.dialogues_held', xml: '<f>2-2</f><v>0</v>', t: '', expect: 0 },
      seven: { code: 'report.dialogues_held', xml: '<f>3+4</f><v>7</v>', t: '', expect: 7 },
      false: {
        code: 'report.digital_cadre_management',
        xml: '<f>FALSE()</f><v>0</v>',
        t: ' t="b"',
        expect: false,
      },
      true: {
        code: 'report.digital_cadre_management',
        xml: '<f>TRUE()</f><v>1</v>',
        t: ' t="b"',
        expect: true,
      },
      none: { code: 'report.dialogues_held', xml: '<f>1+1</f>', t: '', expect: undefined },
      // An empty cached text (Calc: ="" or IF(…;"";…)): the cell shows nothing, so it reads as blank.
      empty: { code: 'report.dialogues_held', xml: '<f>""</f><v></v>', t: ' t="str"', expect: 'blank' },
      emptySelfClosed: {
        code: 'report.dialogues_held',
        xml: '<f>IF(1=1,"",1)</f><v/>',
        t: ' t="str"',
        expect: 'blank',
      },
    } as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...(Object.keys(cases) as (keyof typeof cases)[])), async (which) => {
        const c = cases[which];
        const ref = `B${reportRow(baoCao, c.code)}`;
        const bytes = editEntry(base, sheetPart, (xml) =>
          xml.replace(
            new RegExp(`<c r="${ref}"[^>]*?(/>|>[\\s\\S]*?</c>)`),
            `<c r="${ref}"${c.t}>${c.xml}</c>`,
          ),
        );
        const parsed = await submissionFromWorkbook(bytes);
        const field = c.code.split('.')[1] as string;
        if (c.expect === undefined) {
          expect(parsed.errors.map((e) => [e.path, e.code])).toContainEqual([
            `BaoCao!${ref}`,
            'excel_formula_without_value',
          ]);
        } else if (c.expect === 'blank') {
          expect(parsed.errors, which).toEqual([]);
          expect((parsed.raw as Submission).report[field as 'dialogues_held'], which).toBeUndefined();
        } else {
          expect(parsed.errors, which).toEqual([]);
          expect((parsed.raw as Submission).report[field as 'dialogues_held']).toBe(c.expect);
        }
      }),
      { numRuns: 25, seed: 2 },
    );
  }, 60_000);
});
