// The reference communes are a data module (issue 18, part 1): data-contracts is isomorphic — nothing in it
// touches the file system, so the browser and every Lambda import the same list and no build copies a file by
// name. The list is checked when it loads.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { COMMUNE_BY_CODE, COMMUNES, checkCommunes } from '@scorecard/data-contracts';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'data-contracts', 'src');
const walk = (d: string): string[] =>
  readdirSync(d).flatMap((e) => (statSync(join(d, e)).isDirectory() ? walk(join(d, e)) : [join(d, e)]));

describe('the reference communes', () => {
  it('are the 102 units of Đồng Tháp, unique five-digit codes, trimmed NFC names', () => {
    expect(COMMUNES).toHaveLength(102);
    expect(COMMUNE_BY_CODE.size).toBe(102);
    expect(COMMUNE_BY_CODE.get('28249')?.name).toBe('Phường Đạo Thạnh');
    expect(new Set(COMMUNES.map((c) => c.type))).toEqual(new Set(['xa', 'phuong']));
  });

  it('are refused at load when a code repeats, a type is unknown or a name is not trimmed NFC', () => {
    const ok = {
      commune_code: '10001',
      name: 'Xã A',
      type: 'xa',
      former_province: 'P',
      former_district: 'D',
    };
    expect(checkCommunes([ok])).toHaveLength(1);
    expect(() => checkCommunes([ok, ok])).toThrow(/repeated/);
    expect(() => checkCommunes([{ ...ok, type: 'huyen' }])).toThrow(/type/);
    expect(() => checkCommunes([{ ...ok, name: ' Xã A' }])).toThrow(/NFC/);
    expect(() => checkCommunes([{ ...ok, name: 'Xã A'.normalize('NFD') }])).toThrow(/NFC/);
    expect(() => checkCommunes([{ ...ok, commune_code: '1001' }])).toThrow(/code/);
  });

  it('data-contracts imports nothing from node: (isomorphic: browser and Lambda alike)', () => {
    const offenders = walk(SRC)
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /from ['"]node:/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
