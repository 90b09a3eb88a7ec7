// What the shell (header, year picker, demo badge) asks the API.
import { getJson } from '../lib/api.ts';
import type { Health, YearsInfo } from '../lib/types.ts';

export const fetchHealth = () => getJson<Health>('/health');
export const fetchYears = () => getJson<YearsInfo>('/years');
