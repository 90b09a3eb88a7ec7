// Warning counts by severity, worst first, coloured as everywhere in the product. Pure: rows + options → SVG.
import * as Plot from '@observablehq/plot';
import { SEVERITY_COLOURS, SEVERITY_ORDER, type Severity } from './palette.ts';

export { SEVERITY_ORDER, type Severity };

export interface SeverityCount {
  severity: Severity;
  label: string;
  count: number;
}

export interface SeverityBarsOptions {
  title: string;
  locale?: string;
  width?: number;
  document?: Document;
}

export function severityBarsChart(
  rows: SeverityCount[],
  options: SeverityBarsOptions,
): SVGSVGElement | HTMLElement {
  const locale = options.locale ?? 'vi-VN';
  const ordered = SEVERITY_ORDER.map(
    (s) => rows.find((r) => r.severity === s) ?? { severity: s, label: s, count: 0 },
  );
  const max = Math.max(1, ...ordered.map((r) => r.count));
  const fmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  return Plot.plot({
    document: options.document,
    width: options.width ?? 360,
    height: 40 + ordered.length * 28,
    marginLeft: 120,
    marginRight: 40,
    ariaLabel: options.title,
    x: { domain: [0, max], label: null, axis: null },
    y: { domain: ordered.map((r) => r.label), label: null },
    marks: [
      Plot.barX(ordered, {
        x: 'count',
        y: 'label',
        fill: (d: SeverityCount) => SEVERITY_COLOURS[d.severity],
        ariaDescription: options.title,
        title: (d: SeverityCount) => `${d.label}: ${fmt.format(d.count)}`,
      }),
      Plot.text(ordered, {
        x: 'count',
        y: 'label',
        text: (d: SeverityCount) => fmt.format(d.count),
        textAnchor: 'start',
        dx: 4,
        ariaDescription: options.title,
      }),
    ],
  });
}
