// vi-VN formatting and diacritic-insensitive search ("90,5 %", "05/11/2026", Asia/Ho_Chi_Minh).

import {
  compareNames,
  foldDiacritics,
  formatCount,
  formatDate,
  formatDateTime,
  formatPct,
  formatPctNear,
  formatScore,
  matchesSearch,
} from '@scorecard/web/lib/format.ts';
import { describe, expect, it } from 'vitest';

const NBSP = '\u00a0';

describe('formatPctNear (docs/kpis.md "Display near a strict target")', () => {
  it('8 997 / 9 997 under "trên 90 %" is 89,996 %, never 90,0 % (which would contradict "not met")', () => {
    expect(formatPctNear((8997 * 100) / 9997, 90, 'vi')).toBe(`89,996${NBSP}%`);
    expect(formatPctNear((8997 * 100) / 9997, 90, 'en')).toBe('89.996%');
  });
  it('a value just above the target shows the decimals that put it above; exactly the target stays 90,0 %', () => {
    expect(formatPctNear((9001 * 100) / 10001, 90, 'vi')).toBe(`90,001${NBSP}%`);
    expect(formatPctNear(90, 90, 'vi')).toBe(`90,0${NBSP}%`);
    expect(formatPctNear(86.26262626, 85, 'vi')).toBe(`86,3${NBSP}%`);
    expect(formatPctNear(null, 90, 'vi')).toBe('—');
  });
});

describe('formatPct', () => {
  it('writes one decimal with a comma and a non-breaking space before % in Vietnamese', () => {
    expect(formatPct(90.5, 'vi')).toBe(`90,5${NBSP}%`);
    expect(formatPct(100, 'vi')).toBe(`100,0${NBSP}%`);
    expect(formatPct(86.26262626, 'vi')).toBe(`86,3${NBSP}%`);
    expect(formatPct(0, 'vi')).toBe(`0,0${NBSP}%`);
  });
  it('writes English with a point and no space', () => {
    expect(formatPct(90.5, 'en')).toBe('90.5%');
  });
  it('shows no value as a dash — never 0 %', () => {
    expect(formatPct(null, 'vi')).toBe('—');
    expect(formatPct(undefined, 'en')).toBe('—');
    expect(formatPct(Number.NaN, 'vi')).toBe('—');
  });
  it('rounds only for display: 89.96 shows 90,0 % though it is below a "trên 90%" target', () => {
    expect(formatPct(89.96, 'vi')).toBe(`90,0${NBSP}%`);
  });
});

describe('counts and scores', () => {
  it('groups thousands with a dot in Vietnamese', () => {
    expect(formatCount(31963, 'vi')).toBe('31.963');
    expect(formatCount(31963, 'en')).toBe('31,963');
    expect(formatCount(null, 'vi')).toBe('—');
  });
  it('shows a score with one decimal and no unit', () => {
    expect(formatScore(88.994614, 'vi')).toBe('89,0');
    expect(formatScore(88.994614, 'en')).toBe('89.0');
  });
});

describe('dates in Asia/Ho_Chi_Minh', () => {
  it('shows 5 November 2026 for 18:00 UTC on the 4th (01:00 on the 5th in Vietnam)', () => {
    expect(formatDate('2026-11-04T18:00:00Z', 'vi')).toBe('05/11/2026');
    expect(formatDate('2026-11-04T18:00:00Z', 'en')).toBe('05/11/2026');
  });
  it('shows the deadline instant 6 Nov 00:00 ICT minus 1 ms as the 5th', () => {
    expect(formatDate(Date.UTC(2026, 10, 5, 17, 0, 0) - 1, 'vi')).toBe('05/11/2026');
    expect(formatDate(Date.UTC(2026, 10, 5, 17, 0, 0), 'vi')).toBe('06/11/2026');
  });
  it('adds a 24-hour time', () => {
    expect(formatDateTime('2027-11-20T03:00:00.000Z', 'vi')).toBe('20/11/2027 10:00');
    expect(formatDateTime('2026-11-05T16:59:00Z', 'en')).toBe('05/11/2026 23:59');
  });
  it('shows a dash for missing or unreadable dates', () => {
    expect(formatDate(null, 'vi')).toBe('—');
    expect(formatDateTime('not a date', 'vi')).toBe('—');
  });
});

describe('search ignores diacritics', () => {
  it('"dao thanh" finds "Đạo Thạnh"', () => {
    expect(foldDiacritics('Phường Đạo Thạnh')).toBe('phuong dao thanh');
    expect(matchesSearch('dao thanh', 'Phường Đạo Thạnh')).toBe(true);
    expect(matchesSearch('ĐẠO THẠNH', 'Phường Đạo Thạnh')).toBe(true);
  });
  it('matches every word, in any order, across the given texts', () => {
    expect(matchesSearch('thanh phuong', 'Phường Đạo Thạnh')).toBe(true);
    expect(matchesSearch('my tho 28249', 'Phường Đạo Thạnh', '28249', 'Thành phố Mỹ Tho')).toBe(true);
    expect(matchesSearch('dao thanh', 'Phường Mỹ Tho')).toBe(false);
  });
  it('treats an empty query as matching everything', () => {
    expect(matchesSearch('  ', 'anything')).toBe(true);
  });
  it('handles decomposed (NFD) input as typed on some keyboards', () => {
    expect(matchesSearch('Đạo Thạnh'.normalize('NFD'), 'Phường Đạo Thạnh')).toBe(true);
  });
});

describe('Vietnamese name order', () => {
  it('sorts Đ after D and ignores tone marks first', () => {
    const names = ['Xã Đông Sơn', 'Xã Bình Phú', 'Xã Dương Điềm', 'Xã An Hòa'];
    expect([...names].sort((a, b) => compareNames(a, b, 'vi'))).toEqual([
      'Xã An Hòa',
      'Xã Bình Phú',
      'Xã Dương Điềm',
      'Xã Đông Sơn',
    ]);
  });
});
