#!/usr/bin/env node
// Turns a province's reference list of commune-level units (the TSV the province publishes: nso_code, name,
// type, former_province, former_district) into the data module data-contracts imports
// (data-contracts/src/reference/<province>-communes.json): names trimmed and in NFC, types checked.
//   node scripts/communes-json.mjs communes.tsv > data-contracts/src/reference/<province>-communes.json
import { readFileSync } from 'node:fs';

const [file] = process.argv.slice(2);
if (!file) {
  console.error(
    'usage: node scripts/communes-json.mjs FILE.tsv > data-contracts/src/reference/<province>-communes.json',
  );
  process.exit(2);
}
const [header, ...lines] = readFileSync(file, 'utf8')
  .split(/\r?\n/)
  .filter((l) => l.trim() !== '');
const cols = (header ?? '').split('\t').map((c) => c.trim());
const at = (name) => {
  const i = cols.indexOf(name);
  if (i < 0) throw new Error(`column ${name} missing`);
  return i;
};
const [code, name, type, province, district] = [
  'nso_code',
  'name',
  'type',
  'former_province',
  'former_district',
].map(at);
const communes = lines.map((line) => {
  const c = line.split('\t').map((v) => v.trim().normalize('NFC'));
  if (!['xa', 'phuong', 'dac_khu'].includes(c[type])) throw new Error(`bad type ${c[type]} for ${c[code]}`);
  if (!/^[0-9]{5}$/.test(c[code])) throw new Error(`bad code ${c[code]}`);
  return {
    commune_code: c[code],
    name: c[name],
    type: c[type],
    former_province: c[province],
    former_district: c[district],
  };
});
process.stdout.write(`${JSON.stringify(communes, null, 1)}\n`);
