// Colours shared by the charts and the dashboard's legends; chosen to stay distinguishable when printed in grey
// (the darker the colour, the worse the severity).
export const SEVERITY_COLOURS = {
  critical: '#991b1b',
  high: '#ea580c',
  medium: '#ca8a04',
  missing: '#9ca3af',
} as const;

export const SERIES_COLOURS = {
  value: '#1d4ed8',
  target: '#374151',
  projection: '#1d4ed8',
  kpi: '#1d4ed8',
  evaluation: '#0f766e',
  data_quality: '#a16207',
} as const;

export type Severity = keyof typeof SEVERITY_COLOURS;
/** Worst first. Here rather than in severity-bars.ts so that lists and legends need not load Plot. */
export const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'missing'];
