// Reading a template workbook in tests: load it with exceljs, find a field's column by its code (row 3 of an
// item sheet holds the field codes, as the template writes them).
import ExcelJS from 'exceljs';

export async function loadWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

/** Column of a field code on an item sheet (row 3 holds the codes). */
export function colOf(ws: ExcelJS.Worksheet, code: string): number {
  let found = -1;
  ws.getRow(3).eachCell((c, col) => {
    if (c.value === code) found = col;
  });
  if (found < 0) throw new Error(`no column ${code}`);
  return found;
}
