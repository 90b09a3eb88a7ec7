// The province's reference list of commune-level units: a data module like the plan (no file system), so the
// browser, the Lambdas and the local server import the same list and a bundle copies nothing by name. Made
// from the province's TSV by scripts/communes-json.mjs (names trimmed, NFC, types checked); checked again here.
import dongThap from './reference/dong-thap-communes.json' with { type: 'json' };

export interface Commune {
  commune_code: string;
  name: string;
  type: 'xa' | 'phuong' | 'dac_khu';
  former_province: string;
  former_district: string;
}

const TYPES: readonly string[] = ['xa', 'phuong', 'dac_khu'];

/** The list, checked: five-digit unique codes, known types, NFC names without outer spaces. */
export function checkCommunes(list: readonly Record<string, string>[]): Commune[] {
  const seen = new Set<string>();
  return list.map((c) => {
    const code = c.commune_code ?? '';
    if (!/^[0-9]{5}$/.test(code) || seen.has(code)) throw new Error(`communes: bad or repeated code ${code}`);
    seen.add(code);
    if (!TYPES.includes(c.type ?? '')) throw new Error(`communes: bad type ${c.type} for ${code}`);
    for (const k of ['name', 'former_province', 'former_district'] as const) {
      const v = c[k] ?? '';
      if (v !== v.trim().normalize('NFC')) throw new Error(`communes: ${k} of ${code} is not trimmed NFC`);
    }
    return c as unknown as Commune;
  });
}

export const COMMUNES: Commune[] = checkCommunes(dongThap);

export const COMMUNE_BY_CODE: ReadonlyMap<string, Commune> = new Map(
  COMMUNES.map((c) => [c.commune_code, c]),
);
