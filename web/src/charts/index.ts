// The dashboard's charts as pure functions (rows, options & {document?}) → SVG/HTML element. The exports render
// the same functions on the server with a linkedom document, so nothing here imports the dashboard or needs a
// browser.
export { kpiTrendChart, type KpiTrendOptions, type PhaseTarget, type TrendPoint } from './kpi-trend.ts';
export { projectToYear, type YearValue } from './projection.ts';
export { type QualityBar, qualityBarsChart, type QualityBarsOptions } from './quality-bars.ts';
export { type RankingBar, rankingBarsChart, type RankingBarsOptions } from './ranking-bars.ts';
export { SEVERITY_ORDER, type SeverityCount, severityBarsChart, type SeverityBarsOptions } from './severity-bars.ts';
export { SERIES_COLOURS, SEVERITY_COLOURS } from './palette.ts';
