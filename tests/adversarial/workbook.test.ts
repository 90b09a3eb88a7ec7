// Adversarial: hostile workbooks (issue 13, item 1). The guard must read sheet XML as XML, so every spelling
// XML allows for "expand this range" is counted — quoting, spacing, entities and character references,
// namespace prefixes, element text (<xm:sqref>), parts under names exceljs matches loosely — and the rest is
// bounded by a worker with a time and heap cap. Generated variants run against the guard, then over loopback
// against the real server while /health is polled.
import { readdirSync } from 'node:fs';
import { buildTemplate, checkXlsx, UnsafeWorkbook, XLSX_LIMITS } from '@scorecard/functions/excel/index.ts';
import { configureWorkbookWorkers, submissionFromWorkbook } from '@scorecard/functions/excel/isolated.ts';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validSubmission } from '../helpers/fixtures.ts';
import { type TestServer, testServer } from '../helpers/server.ts';
import { editEntry, unzip, zip } from '../helpers/zip.ts';

const enc = (s: string) => new TextEncoder().encode(s);

// --- generators, written from the issue's description ---------------------------------------------------------

/** A character as XML may spell it in an attribute value or text: itself, decimal or hex reference. */
const spelledChar = (ch: string) =>
  fc.constantFrom(
    ch,
    `&#${ch.charCodeAt(0)};`,
    `&#x${ch.charCodeAt(0).toString(16)};`,
    `&#x${ch.charCodeAt(0).toString(16).toUpperCase()};`,
    `&#00${ch.charCodeAt(0)};`,
  );

/** What a parser reads from character references (CDATA takes text literally, so it gets the decoded form). */
const decodeRefs = (s: string) =>
  s.replace(/&#(x?)([0-9a-fA-F]+);/g, (_, x: string, n: string) =>
    String.fromCharCode(Number.parseInt(n, x ? 16 : 10)),
  );

/** A range written with optional `$`, lower case and entity-spelled characters. */
function spelledRange(range: string): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.boolean(),
      fc.boolean(),
      fc.tuple(...[...range].map((ch) => spelledChar(ch))),
      fc.constantFrom('', ' ', '\t', '\n', '&#32;', '&#10;'),
    )
    .map(([lower, dollars, chars, pad]) => {
      let s = chars.join('');
      if (lower) s = s.toLowerCase().replace(/&#x([0-9a-f]+);/gi, (m) => m.toLowerCase());
      if (dollars) s = s.replace(/^([A-Za-z]+)/, '$$$1');
      return `${pad}${s}${pad}`;
    });
}

const quote = fc.constantFrom('"', "'");
const eqSpacing = fc.constantFrom('=', ' =', '= ', ' = ', '\n=\n', '\t=\t', '\r\n  =  ');
const prefix = fc.constantFrom('', 'x:', 'main:');

/** One element asking a reader to expand `range`, in one of the forms sheet XML allows. */
function expandingElement(range: string): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(
        'dataValidation',
        'mergeCell',
        'conditionalFormatting',
        'hyperlink',
        'autoFilter',
        'selection',
        'xm:sqref',
        'f',
        'ignoredError',
      ),
      spelledRange(range),
      quote,
      eqSpacing,
      prefix,
      fc.boolean(),
    )
    .map(([el, value, q, eq, pre, cdata]) => {
      const v = q === "'" ? value.replace(/'/g, '&apos;') : value.replace(/"/g, '&quot;');
      switch (el) {
        case 'xm:sqref':
          return `<x14:dataValidations xmlns:x14="x14" xmlns:xm="xm"><x14:dataValidation><xm:sqref>${cdata ? `<![CDATA[${decodeRefs(value)}]]>` : value}</xm:sqref></x14:dataValidation></x14:dataValidations>`;
        case 'dataValidation':
          return `<${pre}dataValidations count="1"><${pre}dataValidation type="list" ${pre}sqref${eq}${q}${v}${q}><formula1>"a"</formula1></${pre}dataValidation></${pre}dataValidations>`;
        case 'mergeCell':
          return `<${pre}mergeCells><${pre}mergeCell ${pre}ref${eq}${q}${v}${q}/></${pre}mergeCells>`;
        case 'conditionalFormatting':
          return `<${pre}conditionalFormatting ${pre}sqref${eq}${q}${v}${q}><cfRule type="expression" priority="1"><formula>1</formula></cfRule></${pre}conditionalFormatting>`;
        case 'f':
          return `<sheetData><row r="1"><c r="A1"><f t="shared" si="0" ref${eq}${q}${v}${q}>1</f></c></row></sheetData>`;
        default:
          return `<${pre}${el} ${pre}${el === 'selection' || el === 'ignoredError' ? 'sqref' : 'ref'}${eq}${q}${v}${q}/>`;
      }
    });
}

const prolog = fc.constantFrom(
  '',
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
  '\uFEFF<?xml version="1.0"?>',
  '<!-- a comment -->',
);
const partName = fc.constantFrom(
  'xl/worksheets/sheet1.xml',
  'xl/worksheets/sheet9.xml',
  'junk/xl/worksheets/sheet1.xml',
  'XL/WORKSHEETS/SHEET1.XML',
  'xl/tables/table1.xml',
  'xl/worksheets/_rels/x.rels',
  'sheet.bin',
);

function sheet(pro: string, inner: string): string {
  return `${pro}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:B2"/>${inner}</worksheet>`;
}

function expectTooLarge(bytes: Uint8Array) {
  try {
    checkXlsx(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(UnsafeWorkbook);
    expect((e as UnsafeWorkbook).problem).toBe('too_large');
    return;
  }
  throw new Error('the guard accepted a hostile workbook');
}

// --- the guard ------------------------------------------------------------------------------------------------

describe('workbook guard: every spelling of an expanding range is counted', () => {
  it('a whole-sheet range in any element, quoting, spacing, entity form, prefix and part name is refused', () => {
    fc.assert(
      fc.property(
        expandingElement('A1:XFD1048576'),
        prolog,
        partName,
        fc.boolean(),
        (el, pro, name, stored) => {
          expectTooLarge(zip([{ name, data: enc(sheet(pro, el)), stored }]));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('many small ranges that add up past the bound are refused; a few small ones pass', () => {
    fc.assert(
      fc.property(expandingElement('A1:Z100'), fc.integer({ min: 1, max: 5 }), (el, n) => {
        // 2 600 cells each: a handful pass, a hundred copies (260 000 cells) do not.
        const small = zip([{ name: 'xl/worksheets/sheet1.xml', data: enc(sheet('', el.repeat(n))) }]);
        expect(() => checkXlsx(small)).not.toThrow();
        expectTooLarge(zip([{ name: 'xl/worksheets/sheet1.xml', data: enc(sheet('', el.repeat(100))) }]));
      }),
      { numRuns: 100 },
    );
  });

  it('ranges it cannot bound exactly (whole columns, other sheets, names, three-part refs) are refused', () => {
    for (const ref of ['A:A', '1:1', 'Sheet1!A1:B2', 'MyName', 'A1:B2:C3', 'A1:', ':B2', 'A0x:B2']) {
      expectTooLarge(
        zip([
          {
            name: 'xl/worksheets/sheet1.xml',
            data: enc(sheet('', `<mergeCells><mergeCell ref="${ref}"/></mergeCells>`)),
          },
        ]),
      );
    }
  });

  it('column spans, rows and cells are bounded, in any spelling', () => {
    const limits = { ...XLSX_LIMITS, maxColumns: 1000, maxRows: 500, maxCells: 800 };
    fc.assert(
      fc.property(quote, eqSpacing, prefix, fc.integer({ min: 1, max: 3 }), (q, eq, pre, which) => {
        const inner =
          which === 1
            ? `<${pre}cols><${pre}col min${eq}${q}1${q} max${eq}${q}16384${q}/></${pre}cols>`
            : which === 2
              ? `<${pre}sheetData>${`<${pre}row r${eq}${q}1${q}/>`.repeat(501)}</${pre}sheetData>`
              : `<${pre}sheetData><${pre}row>${`<${pre}c/>`.repeat(801)}</${pre}row></${pre}sheetData>`;
        expect(() =>
          checkXlsx(zip([{ name: 'xl/worksheets/sheet1.xml', data: enc(sheet('', inner)) }]), limits),
        ).toThrow(UnsafeWorkbook);
      }),
      { numRuns: 60 },
    );
    // A column bound exceljs would read as a billion columns.
    expectTooLarge(
      zip([
        {
          name: 'xl/worksheets/sheet1.xml',
          data: enc(sheet('', '<cols><col min="1" max="1000000000"/></cols>')),
        },
      ]),
    );
  });

  it('XML that is not well-formed, or not UTF-8, is not a workbook (and is never regex-scanned)', () => {
    for (const data of [
      enc('<worksheet><mergeCell ref="A1:B2"></worksheet>'),
      new Uint8Array([0x3c, 0x61, 0xc3, 0x28, 0x3e]),
      enc('<!DOCTYPE x [<!ENTITY a "A1:XFD1048576">]><worksheet><mergeCell ref="&a;"/></worksheet>'),
    ]) {
      try {
        checkXlsx(zip([{ name: 'xl/worksheets/sheet1.xml', data }]));
        throw new Error('accepted');
      } catch (e) {
        expect(e).toBeInstanceOf(UnsafeWorkbook);
      }
    }
  });

  it('the real template, empty and full, passes the guard', async () => {
    const full = validSubmission();
    checkXlsx(await buildTemplate());
    checkXlsx(await buildTemplate({ prefill: full }));
  });
});

// --- the worker -----------------------------------------------------------------------------------------------

describe('workbook worker: time and heap caps cost one request, never the process', () => {
  afterAll(() => configureWorkbookWorkers({}));

  it('random byte flips of a real template give a parse or a catalogue error, never a throw', async () => {
    const template = await buildTemplate({ prefill: validSubmission() });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: template.length - 1 }), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        async (flips) => {
          const bytes = template.slice();
          for (const [at, x] of flips) bytes[at] = (bytes[at] as number) ^ x;
          const r = await submissionFromWorkbook(bytes);
          if (r.raw === null) {
            expect(r.errors).toHaveLength(1);
            expect(r.errors[0]?.message_vi).toMatch(/Excel/);
            expect(r.errors[0]?.message_en).toMatch(/Excel/);
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it('a file that takes longer than the time cap is a 413-class error, and the next file is read normally', async () => {
    configureWorkbookWorkers({ timeoutMs: 1 });
    const slow = await submissionFromWorkbook(await buildTemplate({ prefill: validSubmission() }));
    expect(slow.raw).toBeNull();
    expect(slow.status).toBe(413);
    expect(slow.errors.map((e) => e.code)).toEqual(['excel_too_complex']);
    expect(slow.errors[0]?.message_vi).toContain('giây');
    configureWorkbookWorkers({});
    const ok = await submissionFromWorkbook(await buildTemplate({ prefill: validSubmission() }));
    expect(ok.errors).toEqual([]);
  }, 60_000);

  it('a file that needs more heap than the cap kills its worker, not the process', async () => {
    // A worker with a 40 MB heap reads the template (it needs under 24 MB here) but not a workbook with an
    // extra sheet of 200 000 cells, within the guard's bounds yet far over the heap.
    configureWorkbookWorkers({ maxHeapMb: 40 });
    const small = await submissionFromWorkbook(await buildTemplate({ prefill: validSubmission() }));
    expect(small.raw).not.toBeNull();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await buildTemplate({ prefill: validSubmission() })) as unknown as ArrayBuffer);
    const junk = wb.addWorksheet('Junk');
    for (let r = 1; r <= 4000; r++) junk.addRow(Array.from({ length: 50 }, (_, c) => `ô ${r}-${c}`));
    const big = await submissionFromWorkbook(new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(big.status).toBe(413);
    expect(big.errors.map((e) => e.code)).toEqual(['excel_too_complex']);
    configureWorkbookWorkers({});
    const again = await submissionFromWorkbook(await buildTemplate({ prefill: validSubmission() }));
    expect(again.raw).not.toBeNull();
  }, 60_000);
});

// --- over loopback, against the real server --------------------------------------------------------------------

describe('hostile uploads over HTTP', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(async () => {
    await s.close();
  });

  /** Polls /health every 50 ms while `work` runs; returns the slowest answer in ms. */
  async function healthDuring<T>(
    work: () => Promise<T>,
  ): Promise<{ result: T; slowestMs: number; polls: number }> {
    let stop = false;
    let slowest = 0;
    let polls = 0;
    const poller = (async () => {
      while (!stop) {
        const t0 = performance.now();
        const r = await fetch(`${s.url}/api/v1/health`);
        await r.arrayBuffer();
        slowest = Math.max(slowest, performance.now() - t0);
        polls++;
        await new Promise((res) => setTimeout(res, 50));
      }
    })();
    try {
      const result = await work();
      return { result, slowestMs: slowest, polls };
    } finally {
      stop = true;
      await poller;
    }
  }

  async function upload(bytes: Uint8Array, token = s.tokens.commune) {
    const form = new FormData();
    form.append('file', new Blob([bytes as BlobPart]), 'baocao.xlsx');
    const r = await s.call('/api/v1/submissions', { method: 'POST', token, body: form });
    return {
      status: r.status,
      body: (await r.json()) as { errors?: { code: string; message_vi: string; message_en: string }[] },
    };
  }

  it('generated hostile ranges injected into the real template: a clear 413 from the lowest role, /health stays fast, nothing written', async () => {
    const template = await buildTemplate({ prefill: validSubmission() });
    const sheets = unzip(template)
      .map((e) => e.name)
      .filter((n) => n.startsWith('xl/worksheets/sheet'));
    const variants = fc.sample(fc.tuple(expandingElement('A1:XFD1048576'), fc.constantFrom(...sheets)), 12);
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const { result, slowestMs, polls } = await healthDuring(async () => {
      const statuses: number[] = [];
      // Three at a time: more than the pool's parallelism, so the queue is exercised too.
      for (let i = 0; i < variants.length; i += 3) {
        const batch = variants
          .slice(i, i + 3)
          .map(([el, name]) =>
            upload(editEntry(template, name, (xml) => xml.replace('</worksheet>', `${el}</worksheet>`))),
          );
        for (const r of await Promise.all(batch)) {
          expect(r.body.errors?.[0]?.code, JSON.stringify(r.body)).toBe('excel_too_large');
          expect(r.body.errors?.[0]?.message_vi).toMatch(/quá lớn/);
          statuses.push(r.status);
        }
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }
      return statuses;
    });
    expect(result.every((st) => st === 413)).toBe(true);
    expect(polls).toBeGreaterThan(0);
    // Generous margins (issue 13's acceptance): /health within 1 s, the process under 1.5 GB.
    expect(slowestMs).toBeLessThan(1000);
    expect(peakRss).toBeLessThan(1.5 * 1024 ** 3);
    expect(readdirSync(s.dataDir).filter((d) => d === 'raw' || d === 'curated')).toEqual([]);
  }, 120_000);

  it('the unmodified template is read and validated cell by cell (a pre-filled template carries no CCCD)', async () => {
    const r = await upload(await buildTemplate({ prefill: validSubmission() }));
    expect(r.status).toBe(422);
    const codes = new Set(r.body.errors?.map((e) => e.code));
    expect([...codes]).toEqual(['national_id_required']);
    expect(r.body.errors?.[0]).toMatchObject({ path: 'CanBo!C4' });
  }, 60_000);
});
