// Shell state every page reads: the plan years the API knows, the chosen report year, and the health answer
// (demo badge). Set by the shell once loaded; tests set it directly.
import { createSignal } from 'solid-js';
import type { Health, YearsInfo } from './types.ts';

const [yearsInfo, setYearsInfo] = createSignal<YearsInfo | null>(null);
const [chosenYear, setChosenYear] = createSignal<number | null>(null);
const [health, setHealth] = createSignal<Health | null>(null);

export { health, setHealth, setYearsInfo, yearsInfo };

/** The report year the pages show: the user's choice, else the current plan year. */
export function selectedYear(): number {
  return chosenYear() ?? yearsInfo()?.current_year ?? new Date().getFullYear();
}

export function setSelectedYear(year: number | null): void {
  setChosenYear(year);
}

/** Plan years up to the selected one, oldest first (trends). */
export function yearsUpToSelected(): number[] {
  const y = selectedYear();
  return (yearsInfo()?.years ?? [y]).filter((x) => x <= y).sort((a, b) => a - b);
}

/**
 * Whether the selected year's 5 November deadline has passed, as the server's clock says (SCORECARD_NOW in
 * rehearsals): earlier years always have; the current year as `/years` reports.
 */
export function deadlinePassed(year = selectedYear()): boolean {
  const info = yearsInfo();
  if (!info) return false;
  if (year < info.current_year) return true;
  if (year > info.current_year) return false;
  return info.deadline_passed;
}
