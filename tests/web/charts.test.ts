// The charts are pure functions (rows, options & {document}) → SVG: rendered here with a jsdom document and with
// linkedom (as the exports render them on the server), asserting marks, labels and vi-VN ticks.

import {
  kpiTrendChart,
  projectToYear,
  qualityBarsChart,
  rankingBarsChart,
  severityBarsChart,
} from '@scorecard/charts';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';

const NBSP = '\u00a0';
const YEARS = [2026, 2027, 2028, 2029, 2030];
const TARGETS = [
  { phase: 'P1', years: [2026, 2027, 2028], target_pct: 90 },
  { phase: 'P2', years: [2029, 2030], target_pct: 100 },
];
const TREND_LABELS = { title: 'Xu hướng LĐQL', value: 'Giá trị', target: 'Chỉ tiêu', projection: 'Dự báo' };

function group(svg: Element, description: string, type: string): Element | null {
  return svg.querySelector(`g[aria-description="${description}"][aria-label="${type}"]`);
}

describe('kpiTrendChart', () => {
  const render = (doc?: Document) =>
    kpiTrendChart(
      [
        { year: 2026, value_pct: 80 },
        { year: 2027, value_pct: 85.5 },
      ],
      {
        years: YEARS,
        targets: TARGETS,
        projection: { year: 2028, value_pct: 91 },
        labels: TREND_LABELS,
        ...(doc ? { document: doc } : {}),
      },
    );

  it('draws the values as a line with a dot per year, a target rule per phase and the projection', () => {
    const svg = render(document);
    expect(svg.tagName.toLowerCase()).toBe('svg');
    expect(svg.getAttribute('aria-label')).toBe('Xu hướng LĐQL');
    expect(group(svg, 'Giá trị', 'line')?.querySelectorAll('path')).toHaveLength(1);
    expect(group(svg, 'Giá trị', 'dot')?.querySelectorAll('circle')).toHaveLength(2);
    expect(group(svg, 'Chỉ tiêu', 'rule')?.querySelectorAll('line')).toHaveLength(2);
    expect(group(svg, 'Dự báo', 'link')?.querySelectorAll('path')).toHaveLength(1);
    expect(svg.getAttribute('aria-description')).toBe(`Giá trị: 2026 80,0${NBSP}%, 2027 85,5${NBSP}%`);
  });

  it('labels the y axis in vi-VN percentages and the x axis with every plan year', () => {
    const svg = render(document);
    const ticks = [...svg.querySelectorAll('g[aria-label="y-axis tick label"] text')].map(
      (t) => t.textContent,
    );
    expect(ticks).toEqual([`0${NBSP}%`, `25${NBSP}%`, `50${NBSP}%`, `75${NBSP}%`, `100${NBSP}%`]);
    const years = [...svg.querySelectorAll('g[aria-label="x-axis tick label"] text')].map(
      (t) => t.textContent,
    );
    expect(years).toEqual(['2026', '2027', '2028', '2029', '2030']);
  });

  it('puts the P1 rule at 90 and the P2 rule at 100 (higher on screen)', () => {
    const [p1, p2] = [...(group(render(document), 'Chỉ tiêu', 'rule')?.querySelectorAll('line') ?? [])];
    expect(Number(p2?.getAttribute('y1'))).toBeLessThan(Number(p1?.getAttribute('y1')));
  });

  it('skips years without a value and draws no projection without one', () => {
    const svg = kpiTrendChart(
      [
        { year: 2026, value_pct: null },
        { year: 2027, value_pct: 60 },
      ],
      { years: YEARS, targets: [], projection: null, labels: TREND_LABELS, document },
    );
    expect(group(svg, 'Giá trị', 'dot')?.querySelectorAll('circle')).toHaveLength(1);
    expect(group(svg, 'Dự báo', 'link')?.querySelectorAll('path') ?? []).toHaveLength(0);
  });

  it('renders on the server with a linkedom document, with English ticks when asked', () => {
    const { document: serverDoc } = parseHTML('<!doctype html><html><body></body></html>');
    const svg = kpiTrendChart([{ year: 2026, value_pct: 80 }], {
      years: YEARS,
      targets: TARGETS,
      labels: TREND_LABELS,
      locale: 'en-GB',
      document: serverDoc as unknown as Document,
    });
    const html = svg.outerHTML;
    expect(html).toContain('<svg');
    expect(html).toContain('100%');
    expect(html).toContain('aria-label="Xu hướng LĐQL"');
  });
});

describe('projectToYear (the warning policy, least squares to the phase end)', () => {
  it('extends the least-squares line to the target year', () => {
    expect(
      projectToYear(
        [
          { year: 2026, value_pct: 80 },
          { year: 2027, value_pct: 85 },
        ],
        2027,
        2028,
      ),
    ).toBeCloseTo(90);
    expect(
      projectToYear(
        [
          { year: 2026, value_pct: 60 },
          { year: 2027, value_pct: 70 },
          { year: 2028, value_pct: 68 },
        ],
        2028,
        2030,
      ),
    ).toBeCloseTo(78); // mean (2027, 66), slope 4 → 66 + 3 × 4
  });
  it('uses the current value with fewer than two values, skips missing years and clamps to 0–100', () => {
    expect(projectToYear([{ year: 2026, value_pct: 42 }], 2026, 2028)).toBe(42);
    expect(
      projectToYear(
        [
          { year: 2026, value_pct: null },
          { year: 2027, value_pct: 42 },
        ],
        2027,
        2028,
      ),
    ).toBe(42);
    expect(
      projectToYear(
        [
          { year: 2026, value_pct: 50 },
          { year: 2027, value_pct: 90 },
        ],
        2027,
        2028,
      ),
    ).toBe(100);
    expect(
      projectToYear(
        [
          { year: 2026, value_pct: 40 },
          { year: 2027, value_pct: 10 },
        ],
        2027,
        2028,
      ),
    ).toBe(0);
    expect(projectToYear([], 2027, 2028)).toBeNull();
  });
  it('ignores years after the judged year', () => {
    expect(
      projectToYear(
        [
          { year: 2026, value_pct: 80 },
          { year: 2027, value_pct: 85 },
          { year: 2028, value_pct: 0 },
        ],
        2027,
        2028,
      ),
    ).toBeCloseTo(90);
  });
});

describe('rankingBarsChart', () => {
  const rows = [
    {
      commune_code: '28249',
      label: 'Phường Đạo Thạnh',
      rank: 2,
      score: 84.5,
      kpi_score: 85,
      evaluation_score: 82,
      data_quality_score: 90,
    },
    {
      commune_code: '28603',
      label: 'Xã Mỹ Tịnh An',
      rank: 1,
      score: 93.1,
      kpi_score: 95,
      evaluation_score: 90,
      data_quality_score: 90,
    },
  ];
  const svgOf = (el: Element) =>
    el.tagName.toLowerCase() === 'svg' ? el : (el.querySelector('svg:not(.plot-swatch svg)') ?? el);
  const render = () =>
    rankingBarsChart(rows, {
      weights: { kpi: 60, evaluation: 30, data_quality: 10 },
      labels: {
        title: 'Xếp hạng',
        kpi: 'Chỉ tiêu',
        evaluation: 'Đánh giá',
        data_quality: 'Chất lượng',
        score: 'Điểm',
      },
      highlight: '28249',
      document,
    });

  it('draws three weighted segments per commune, ranked order, with a legend of the components', () => {
    const figure = render();
    const bars = figure.querySelectorAll('g[aria-label="bar"] rect');
    expect(bars).toHaveLength(6);
    expect(figure.textContent).toContain('Chỉ tiêu');
    expect(figure.textContent).toContain('Đánh giá');
    const labels = [...figure.querySelectorAll('g[aria-label="y-axis tick label"] text')].map(
      (t) => t.textContent,
    );
    expect(labels).toEqual(['1. Xã Mỹ Tịnh An', '▶ 2. Phường Đạo Thạnh']);
    expect(svgOf(figure)).toBeTruthy();
  });

  it('writes each composite score at the end of its bar in vi-VN', () => {
    const texts = [...render().querySelectorAll('g[aria-label="text"] text')].map((t) => t.textContent);
    expect(texts).toEqual(['93,1', '84,5']);
  });

  it('makes segment widths add up to the score: component × weight / 100', () => {
    const titles = [...render().querySelectorAll('g[aria-label="bar"] rect title')].map((t) => t.textContent);
    expect(titles).toContain('Chỉ tiêu: 95,0 → 57,0');
    expect(titles).toContain('Đánh giá: 90,0 → 27,0');
    expect(titles).toContain('Chất lượng: 90,0 → 9,0');
  });
});

describe('severityBarsChart and qualityBarsChart', () => {
  it('draws the four severities worst first, zero when absent, with their counts', () => {
    const svg = severityBarsChart(
      [
        { severity: 'high', label: 'Cao', count: 363 },
        { severity: 'critical', label: 'Nghiêm trọng', count: 47 },
      ],
      { title: 'Cảnh báo', document },
    );
    expect(svg.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(4);
    const counts = [...svg.querySelectorAll('g[aria-label="text"] text')].map((t) => t.textContent);
    expect(counts).toEqual(['47', '363', '0', '0']);
    const colours = [...svg.querySelectorAll('g[aria-label="bar"] rect')].map((r) => r.getAttribute('fill'));
    expect(colours[0]).toBe('#991b1b');
  });

  it('draws Đúng–Đủ–Sạch–Sống and the score, a dash for no value', () => {
    const svg = qualityBarsChart(
      [
        { dimension: 'dung', label: 'Đúng', value: 75 },
        { dimension: 'du', label: 'Đủ', value: 100 },
        { dimension: 'sach', label: 'Sạch', value: 97.2 },
        { dimension: 'song', label: 'Sống', value: null },
        { dimension: 'score', label: 'Điểm', value: 68.05 },
      ],
      { title: 'Chất lượng', document },
    );
    expect(svg.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(5);
    const values = [...svg.querySelectorAll('g[aria-label="text"] text')].map((t) => t.textContent);
    expect(values).toEqual(['75,0', '100,0', '97,2', '—', '68,1']);
  });
});
