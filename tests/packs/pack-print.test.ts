// The meeting pack's workbook as an official prints it (issue 25, item 7): a province annual pack over the
// 102 real communes, converted to PDF by LibreOffice Calc and read back page by page with pdftotext. Every page
// must carry every column header of its sheet (no column cut off onto a page of its own, the header row
// repeated), the as-of instant and its page number; wide sheets print landscape, each fits the page width.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLAN } from '@scorecard/data-contracts';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { seedDemo } from '@scorecard/functions/demo/generate.ts';
import { createMeetingPack } from '@scorecard/functions/entry/local/packs.ts';
import { personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/data-dir.ts';
import {
  calcConvert,
  headerBandWords,
  overlappingWords,
  type PdfWord,
  pdfPages,
  pdfPageWords,
} from '../helpers/office.ts';

const NOW = new Date('2026-12-01T00:00:00Z');
const YEAR = PLAN.years[0] as number;
const AS_OF_TEXT = 'Số liệu tính đến 01/12/2026 07:00 (giờ Việt Nam)';

const bag = (words: readonly string[]) => {
  const m = new Map<string, number>();
  for (const w of words) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
};

describe('the pack workbook printed by Calc', () => {
  let pages: string[] = [];
  let pageWords: PdfWord[][] = [];
  let sheets: { name: string; headers: string[]; rows: number; pageSetup: Partial<ExcelJS.PageSetup> }[] = [];

  beforeAll(async () => {
    const dataDir = tempDir('scorecard-print-');
    await seedDemo(new FsObjectStore(dataDir), personKeyFromSecret('print-test'), NOW);
    const outDir = join(tempDir('scorecard-print-out-'), 'pack');
    await createMeetingPack({ dataDir, year: YEAR, meeting: 'annual', asOf: NOW, outDir, now: NOW });
    const xlsx = join(outDir, `scorecard-annual-${YEAR}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(xlsx) as unknown as ArrayBuffer);
    sheets = wb.worksheets.map((ws) => ({
      name: ws.name,
      headers: (ws.getRow(2).values as unknown[]).filter((v): v is string => typeof v === 'string'),
      rows: ws.rowCount,
      pageSetup: ws.pageSetup,
    }));
    const pdf = calcConvert(xlsx, 'pdf');
    pages = pdfPages(pdf);
    pageWords = pdfPageWords(pdf);
  }, 240_000);

  it('every page names its sheet and carries every column header of that sheet, the as-of and its page number', () => {
    expect(sheets.length).toBe(6);
    expect(pages.length).toBeGreaterThan(sheets.length);
    expect(pageWords.length).toBe(pages.length);
    const seen = new Set<string>();
    pages.forEach((page, i) => {
      // The footer: "<sheet> · Trang p/n" — the sheet's name tells which headers this page must repeat.
      const footer = /(\S.*?) · Trang (\d+)\/(\d+)/u.exec(page);
      expect(footer, `page ${i + 1} has no footer: ${page.slice(0, 200)}`).not.toBeNull();
      const sheet = sheets.find((s) => footer?.[1]?.endsWith(s.name));
      expect(sheet, `page ${i + 1}: footer names no sheet (${footer?.[0]})`).toBeDefined();
      if (!sheet) return;
      seen.add(sheet.name);
      // Headers wrap inside their cells, so the header row is read as a bag of words: every word of every
      // column header of the sheet, as often as the headers use it (a column cut off onto another page, or a
      // header row not repeated, leaves words missing).
      const band = bag(headerBandWords(pageWords[i] ?? [], 'Năm', String(YEAR)));
      const needed = bag(sheet.headers.flatMap((h) => h.split(/\s+/)));
      for (const [word, n] of needed)
        expect(
          band.get(word) ?? 0,
          `page ${i + 1} (${sheet.name}) lacks "${word}" of its headers`,
        ).toBeGreaterThanOrEqual(n);
      expect(page).toContain(AS_OF_TEXT);
    });
    expect([...seen].sort()).toEqual(sheets.map((s) => s.name).sort());
  });

  it('fits each sheet to one page width, landscape where the sheet is wide; prints far fewer pages than before (209 in Calc)', () => {
    for (const s of sheets) {
      expect(s.pageSetup.fitToPage, s.name).toBe(true);
      expect(s.pageSetup.fitToWidth, s.name).toBe(1);
      expect(s.pageSetup.fitToHeight, s.name).toBe(0);
      expect(s.pageSetup.paperSize, s.name).toBe(9); // A4
    }
    const communes = sheets.find((s) => s.name === 'Chỉ tiêu theo xã');
    expect(communes?.pageSetup.orientation).toBe('landscape');
    // 1,020 commune-KPI rows plus the other sheets: one page wide, rows flowing down.
    expect(pages.length).toBeLessThan(80);
  });

  it('prints no text over other text: rows grow to hold their wrapped names and labels', () => {
    pageWords.forEach((words, i) => {
      const clash = overlappingWords(words)
        .slice(0, 3)
        .map(([a, b]) => `"${a.text}" × "${b.text}"`);
      expect(clash, `page ${i + 1}`).toEqual([]);
    });
  });
});
