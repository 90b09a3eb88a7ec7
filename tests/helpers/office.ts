// Real office software in the tests: LibreOffice Calc converts files as an official's desktop would (Debian's
// libreoffice-calc-nogui, installed by scripts/bootstrap.mjs --system and .ci/run), pdftotext reads PDFs as a
// reader sees them (poppler-utils). Each conversion runs with a private profile so parallel test files and a
// user's own LibreOffice never share state.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const SOFFICE = '/usr/bin/soffice';

/** Converts `file` with Calc (`pdf`, `xlsx`, …) and returns the written file's path. */
export function calcConvert(file: string, to: string): string {
  if (!existsSync(SOFFICE))
    throw new Error(
      `${SOFFICE} is missing: install Debian's libreoffice-calc-nogui (npm run bootstrap -- --system)`,
    );
  const work = mkdtempSync(join(tmpdir(), 'scorecard-calc-'));
  const out = join(work, 'out');
  execFileSync(
    SOFFICE,
    [
      `-env:UserInstallation=file://${join(work, 'profile')}`,
      '--headless',
      '--convert-to',
      to,
      '--outdir',
      out,
      file,
    ],
    { stdio: 'pipe', timeout: 120_000 },
  );
  const stem = basename(file).replace(/\.[^.]+$/, '');
  const written = readdirSync(out).find((f) => f.startsWith(`${stem}.`));
  if (!written) throw new Error(`Calc wrote nothing converting ${file} to ${to}`);
  return join(out, written);
}

/** The text of each page of a PDF, as pdftotext reads it, whitespace collapsed and NFC. */
export function pdfPages(file: string): string[] {
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const pages = text.split('\f').map((p) => p.normalize('NFC').replace(/\s+/g, ' ').trim());
  if (pages.at(-1) === '') pages.pop();
  return pages;
}

export interface PdfWord {
  x: number;
  y: number;
  x2: number;
  y2: number;
  text: string;
}

/** Each page's words with their left edge and top (points), from `pdftotext -bbox`. */
export function pdfPageWords(file: string): PdfWord[][] {
  const html = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-'], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  const xmlText = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  return html
    .split(/<page /)
    .slice(1)
    .map((page) =>
      [
        ...page.matchAll(
          /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([\s\S]*?)<\/word>/g,
        ),
      ].map((m) => ({
        x: Number(m[1]),
        y: Number(m[2]),
        x2: Number(m[3]),
        y2: Number(m[4]),
        text: xmlText(m[5] ?? '').normalize('NFC'),
      })),
    );
}

/**
 * The words of a printed sheet's header row on one page: those below the title row (the page's first line)
 * and above the first data row (the first cell under the first column's header `firstHeader` that reads
 * `firstValue`). Header cells wrap, and a plain reading interleaves a wrapped cell with its neighbours, so the
 * header row is compared as a bag of words.
 */
export function headerBandWords(
  words: readonly PdfWord[],
  firstHeader: string,
  firstValue: string,
): string[] {
  const top = Math.min(...words.map((w) => w.y));
  const head = words.find((w) => w.text === firstHeader && w.y > top + 1);
  if (!head) return [];
  const dataY = Math.min(
    ...words
      .filter((w) => w.text === firstValue && w.y > head.y + 1 && Math.abs(w.x - head.x) < 60)
      .map((w) => w.y),
  );
  return words.filter((w) => w.y > top + 1 && w.y < dataY - 1).map((w) => w.text);
}

/** Pairs of words printed over each other (their boxes share more than a quarter of the smaller one). */
export function overlappingWords(words: readonly PdfWord[]): [PdfWord, PdfWord][] {
  const sorted = [...words].sort((a, b) => a.y - b.y);
  const out: [PdfWord, PdfWord][] = [];
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i] as PdfWord;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j] as PdfWord;
      if (b.y >= a.y2) break;
      const w = Math.min(a.x2, b.x2) - Math.max(a.x, b.x);
      const h = Math.min(a.y2, b.y2) - Math.max(a.y, b.y);
      const smaller = Math.min((a.x2 - a.x) * (a.y2 - a.y), (b.x2 - b.x) * (b.y2 - b.y));
      if (w > 0 && h > 0 && w * h > smaller / 4) out.push([a, b]);
    }
  }
  return out;
}
