// Which meeting packs are due: the plan's export schedule (data-contracts plan.ts `exportSchedule`: annual packs
// after each year's 5 November deadline in Asia/Ho_Chi_Minh, the review after P1, the final after P2), cut at
// `now`. Used by `npm run export -- --due` (a local cron) and by the AWS schedules.
import { type DueExport, exportSchedule, type Plan } from '@scorecard/data-contracts';

export function dueExports(plan: Plan, now: Date): DueExport[] {
  return exportSchedule(plan).filter((d) => d.due.getTime() <= now.getTime());
}
