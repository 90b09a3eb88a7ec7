// Workbooks as Calc users leave them (issue 25, "How to test"): the template, filled the way people type —
// TRUE/FALSE typed into yes/no cells, zeros, numbers as text — then opened and re-saved by LibreOffice Calc
// (Debian's libreoffice-calc-nogui, headless) and parsed by the same worker the server uses. Calc rewrites a
// typed TRUE/FALSE as a formula with a cached value and re-numbers styles and shared strings; none of that may
// change a figure, and errors must still point at cells.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMUNES, PLAN, type Submission, TRAINING } from '@scorecard/data-contracts';
import { buildTemplate, submissionFromWorkbook } from '@scorecard/functions/excel/index.ts';
import type ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { submissionArb } from '../helpers/arbitraries.ts';
import { tempDir } from '../helpers/data-dir.ts';
import { validSubmission } from '../helpers/fixtures.ts';
import { calcConvert } from '../helpers/office.ts';
import { colOf, loadWorkbook } from '../helpers/workbook.ts';
import { unzip } from '../helpers/zip.ts';

/** Re-saves a workbook with Calc, as an officer who opened the file in LibreOffice and pressed Save would. */
function throughCalc(bytes: Uint8Array, name = 'baocao.xlsx'): Uint8Array {
  const file = join(tempDir('scorecard-calc-in-'), name);
  writeFileSync(file, bytes);
  return new Uint8Array(readFileSync(calcConvert(file, 'xlsx')));
}

/** Fills the template from `s` as a user types: yes/no columns typed TRUE/FALSE (booleans), CCCDs as text. */
async function typedFrom(s: Submission): Promise<Uint8Array> {
  const wb = await loadWorkbook(
    await buildTemplate({ prefill: { ...s, cadres: s.cadres.map(({ national_id: _id, ...c }) => c) } }),
  );
  const canBo = wb.getWorksheet('CanBo') as ExcelJS.Worksheet;
  const id = colOf(canBo, 'national_id');
  const leader = colOf(canBo, 'is_leader');
  const digitized = colOf(canBo, 'record_digitized');
  s.cadres.forEach((c, i) => {
    if (c.national_id !== undefined) canBo.getCell(4 + i, id).value = c.national_id;
    canBo.getCell(4 + i, leader).value = c.is_leader; // typed TRUE / FALSE, not the drop-down's Có / Không
    canBo.getCell(4 + i, digitized).value = c.record_digitized;
  });
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

const expectedJson = (s: Submission) => ({
  ...s,
  cadres: s.cadres.map((c) => ({ ...c, trainings: TRAINING.codes.filter((t) => c.trainings.includes(t)) })),
});

describe('workbooks re-saved by LibreOffice Calc', () => {
  it('a filled template re-saved by Calc parses to the same submission, typed TRUE/FALSE included (generated)', async () => {
    const samples = fc.sample(
      submissionArb(
        COMMUNES.map((c) => c.commune_code),
        PLAN.years,
      ),
      { numRuns: 3, seed: 20261207 },
    );
    for (const s of [validSubmission(), ...samples]) {
      const saved = throughCalc(await typedFrom(s));
      // Calc really did rewrite the file (its own sheet XML, not exceljs's).
      const sheetXml = unzip(saved)
        .filter((e) => e.name.startsWith('xl/worksheets/sheet'))
        .map((e) => new TextDecoder().decode(e.data))
        .join('');
      expect(sheetXml).toContain('customFormat=');
      const parsed = await submissionFromWorkbook(saved);
      expect(parsed.errors).toEqual([]);
      expect(parsed.raw).toEqual(expectedJson(s));
    }
  }, 180_000);

  it('errors in a Calc-saved file still point at their cells', async () => {
    const s = validSubmission();
    const wb = await loadWorkbook(await typedFrom(s));
    const canBo = wb.getWorksheet('CanBo') as ExcelJS.Worksheet;
    canBo.getCell(5, colOf(canBo, 'education')).value = 'tiến sĩ khoa học viễn tưởng';
    const baoCao = wb.getWorksheet('BaoCao') as ExcelJS.Worksheet;
    let dialogues = 0;
    for (let r = 1; r <= baoCao.rowCount; r++)
      if (baoCao.getCell(r, 3).value === 'report.dialogues_held') dialogues = r;
    baoCao.getCell(dialogues, 2).value = 'mười';
    const parsed = await submissionFromWorkbook(
      throughCalc(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer)),
    );
    const col = String.fromCharCode(64 + colOf(canBo, 'education'));
    expect(parsed.errors.map((e) => e.path).sort()).toEqual([`BaoCao!B${dialogues}`, `CanBo!${col}5`].sort());
  }, 60_000);
});
