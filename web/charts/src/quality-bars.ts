// Đúng – Đủ – Sạch – Sống and the score, each 0–100, as horizontal bars. Pure: rows + options → SVG.
import * as Plot from '@observablehq/plot';
import { chartNumber } from './format.ts';

export interface QualityBar {
  dimension: 'dung' | 'du' | 'sach' | 'song' | 'score';
  label: string;
  value: number | null;
}

export interface QualityBarsOptions {
  title: string;
  locale?: string;
  width?: number;
  document?: Document;
}

export function qualityBarsChart(
  rows: QualityBar[],
  options: QualityBarsOptions,
): SVGSVGElement | HTMLElement {
  const locale = options.locale ?? 'vi-VN';
  const bars = rows.map((r) => ({ ...r, shown: r.value ?? 0 }));
  return Plot.plot({
    document: options.document,
    width: options.width ?? 360,
    height: 40 + bars.length * 26,
    marginLeft: 90,
    marginRight: 48,
    ariaLabel: options.title,
    x: { domain: [0, 100], label: null, ticks: [0, 50, 100] },
    y: { domain: bars.map((b) => b.label), label: null },
    marks: [
      Plot.barX(bars, {
        x: 'shown',
        y: 'label',
        fill: (d: QualityBar) => (d.dimension === 'score' ? '#1e3a8a' : '#60a5fa'),
        ariaDescription: options.title,
      }),
      Plot.text(bars, {
        x: 'shown',
        y: 'label',
        text: (d: QualityBar) => (d.value === null ? '—' : chartNumber(d.value, locale)),
        textAnchor: 'start',
        dx: 4,
        ariaDescription: options.title,
      }),
      Plot.ruleX([0]),
    ],
  });
}
