// The dashboard's charts as pure functions (rows, options & {document?}) → SVG/HTML element. The exports render
// the same functions on the server with a linkedom document, so nothing here imports the dashboard or needs a
// browser.
export { kpiTrendChart, type PhaseTarget, type TrendPoint } from './kpi-trend.ts';
export { projectToYear } from './projection.ts';
export { qualityBarsChart } from './quality-bars.ts';
export { type RankingBar, rankingBarsChart } from './ranking-bars.ts';
export {
  SEVERITY_ORDER,
  severityBarsChart,
} from './severity-bars.ts';
