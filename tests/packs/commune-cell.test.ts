// The commune cell of an uploaded workbook (issue 25, item 3), over loopback against the real server, as the
// commune officer of 28249 (Phường Đạo Thạnh). Generated: the cell in every form people fill it — the drop-down's
// "code – name", the code alone (text or number), the own commune's name in other spellings (case, Unicode form,
// tone placement), another commune's code or name, blank, something unrecognisable.
//   own commune, any form → accepted · blank → a required-field error at the cell, with every other error ·
//   unrecognisable → a cell error saying what to write · clearly another commune → 403 naming cell and commune.
import { COMMUNE_BY_CODE } from '@scorecard/data-contracts';
import { buildTemplate } from '@scorecard/functions/excel/index.ts';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validSubmission } from '../helpers/fixtures.ts';
import { OTHER, OWN, type TestServer, testServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => {
  await s.close();
});

const ownName = COMMUNE_BY_CODE.get(OWN)?.name as string;
const otherName = COMMUNE_BY_CODE.get(OTHER)?.name as string;
let round = 0;

/** A complete workbook for OWN with `commune` typed in the commune cell (and, optionally, a bad figure too). */
async function workbook(
  commune: ExcelJS.CellValue,
  badFigure = false,
): Promise<{ bytes: Uint8Array; cell: string; figureCell: string }> {
  const sub = validSubmission();
  sub.report.dialogues_held = 100 + round++; // a new version each time
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(
    (await buildTemplate({
      prefill: { ...sub, cadres: sub.cadres.map(({ national_id: _n, ...c }) => c) },
    })) as unknown as ArrayBuffer,
  );
  const canBo = wb.getWorksheet('CanBo') as ExcelJS.Worksheet;
  let idCol = 0;
  canBo.getRow(3).eachCell((c, col) => {
    if (c.value === 'national_id') idCol = col;
  });
  sub.cadres.forEach((c, i) => {
    canBo.getCell(4 + i, idCol).value = c.national_id as string;
  });
  const baoCao = wb.getWorksheet('BaoCao') as ExcelJS.Worksheet;
  const rowOf = (code: string) => {
    for (let r = 1; r <= baoCao.rowCount; r++) if (baoCao.getCell(r, 3).value === code) return r;
    throw new Error(code);
  };
  const r = rowOf('commune_code');
  baoCao.getCell(r, 2).value = commune;
  const fr = rowOf('report.staff_quota');
  if (badFigure) baoCao.getCell(fr, 2).value = 'ba mươi';
  return {
    bytes: new Uint8Array(await wb.xlsx.writeBuffer()),
    cell: `BaoCao!B${r}`,
    figureCell: `BaoCao!B${fr}`,
  };
}

async function upload(bytes: Uint8Array) {
  const form = new FormData();
  form.append('file', new Blob([bytes as BlobPart]), 'baocao.xlsx');
  const r = await s.call('/api/v1/submissions', { method: 'POST', token: s.tokens.commune, body: form });
  return {
    status: r.status,
    body: (await r.json()) as {
      errors?: { path: string; code: string; message_vi: string }[];
      error?: { code: string; message_vi: string };
    },
  };
}

const spelled = (name: string) =>
  fc.constantFrom(
    name,
    name.toLocaleUpperCase('vi'),
    name.toLocaleLowerCase('vi'),
    name.normalize('NFD'),
    `  ${name}  `,
  );

describe('the commune cell of a workbook', () => {
  it('the own commune in any form is accepted (generated)', async () => {
    const forms = fc.sample(
      fc.oneof(
        fc.constantFrom(`${OWN} – ${ownName}`, OWN, `${OWN}`),
        fc.constant(Number(OWN)),
        spelled(ownName),
      ),
      8,
    );
    for (const form of forms) {
      const { bytes } = await workbook(form);
      const r = await upload(bytes);
      expect(r.status, `${JSON.stringify(form)} → ${JSON.stringify(r.body)}`).toBe(201);
    }
  }, 120_000);

  it('blank: a required-field error at the cell, listed with every other error of the file (not a 403)', async () => {
    const { bytes, cell, figureCell } = await workbook(null, true);
    const r = await upload(bytes);
    expect(r.status).toBe(422);
    const paths = r.body.errors?.map((e) => e.path) ?? [];
    expect(paths).toContain(cell);
    expect(paths).toContain(figureCell);
  }, 60_000);

  it('something unrecognisable: a cell error saying what to write', async () => {
    const { bytes, cell } = await workbook('Xã Không Có Thật');
    const r = await upload(bytes);
    expect(r.status).toBe(422);
    const e = r.body.errors?.find((x) => x.path === cell);
    expect(e?.code).toBe('excel_commune_unknown');
    expect(e?.message_vi).toContain('28249 – Phường Đạo Thạnh');
  }, 60_000);

  it('clearly another commune (its code or its name): 403 naming the cell and the commune', async () => {
    for (const form of [`${OTHER} – ${otherName}`, OTHER, otherName]) {
      const { bytes, cell } = await workbook(form);
      const r = await upload(bytes);
      expect(r.status, JSON.stringify(form)).toBe(403);
      expect(r.body.error?.code).toBe('forbidden_commune_cell');
      expect(r.body.error?.message_vi).toContain(cell);
      expect(r.body.error?.message_vi).toContain(OTHER);
    }
  }, 60_000);
});
