// The province's reference list of commune-level units (copied from shared/reference, names trimmed, NFC).
import { readFileSync } from 'node:fs';

export interface Commune {
  commune_code: string;
  name: string;
  type: 'xa' | 'phuong' | 'dac_khu';
  former_province: string;
  former_district: string;
}

export function parseCommunesTsv(tsv: string): Commune[] {
  const [header, ...lines] = tsv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const cols = (header ?? '').split('\t').map((c) => c.trim());
  const idx = (name: string) => {
    const i = cols.indexOf(name);
    if (i < 0) throw new Error(`communes: column ${name} missing`);
    return i;
  };
  const [iCode, iName, iType, iProv, iDist] = [
    'nso_code',
    'name',
    'type',
    'former_province',
    'former_district',
  ].map(idx);
  return lines.map((line) => {
    const c = line.split('\t').map((v) => v.trim().normalize('NFC'));
    const type = c[iType as number];
    if (type !== 'xa' && type !== 'phuong' && type !== 'dac_khu')
      throw new Error(`communes: bad type ${type}`);
    return {
      commune_code: c[iCode as number] ?? '',
      name: c[iName as number] ?? '',
      type,
      former_province: c[iProv as number] ?? '',
      former_district: c[iDist as number] ?? '',
    };
  });
}

export const COMMUNES: Commune[] = parseCommunesTsv(
  readFileSync(new URL('./reference/dong-thap-communes.tsv', import.meta.url), 'utf8'),
);

export const COMMUNE_BY_CODE: ReadonlyMap<string, Commune> = new Map(
  COMMUNES.map((c) => [c.commune_code, c]),
);
