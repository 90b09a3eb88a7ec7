// The dashboard's charts as pure functions (rows, options & {document?}) → SVG/HTML element. The exports render
// the same functions on the server with a linkedom document, so nothing here imports the dashboard or needs a
// browser.
export { type KpiTrendOptions, kpiTrendChart, type PhaseTarget, type TrendPoint } from './kpi-trend.ts';
export { SERIES_COLOURS, SEVERITY_COLOURS } from './palette.ts';
export { projectToYear, type YearValue } from './projection.ts';
export { type QualityBar, type QualityBarsOptions, qualityBarsChart } from './quality-bars.ts';
export { type RankingBar, type RankingBarsOptions, rankingBarsChart } from './ranking-bars.ts';
export {
  SEVERITY_ORDER,
  type SeverityBarsOptions,
  type SeverityCount,
  severityBarsChart,
} from './severity-bars.ts';
