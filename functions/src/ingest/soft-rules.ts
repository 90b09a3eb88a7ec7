// Soft rules (docs/contracts.md, docs/kpis.md "Đúng"): accepted, but shown as data-quality findings. The rule list and
// thresholds come from the plan's policy section; the SQL view data_quality applies the same rules to stored data.
import { type FindingCode, type LocalisedMessage, message, type Plan } from '@scorecard/data-contracts';
import type { StoredSubmission } from './stored.ts';
import { isActive, titleSuggestsLeader } from './stored.ts';

export interface SoftFinding extends LocalisedMessage {
  path: string;
  code: FindingCode;
}

export function softFindings(
  plan: Plan,
  s: StoredSubmission,
  previousYearHeadcount: number | null,
): SoftFinding[] {
  const out: SoftFinding[] = [];
  const rules = new Set(plan.policy.data_quality.soft_rules.map((r) => r.code));
  const add = (path: string, code: FindingCode, params: Record<string, string | number> = {}) =>
    out.push({ path, ...message(code, params), code });
  if (rules.has('leader_title_not_leader')) {
    s.cadres.forEach((c, i) => {
      if (!c.is_leader && isActive(c.category) && titleSuggestsLeader(plan, c.position)) {
        add(`/cadres/${i}/is_leader`, 'leader_title_not_leader', { position: c.position });
      }
    });
  }
  if (rules.has('headcount_change') && previousYearHeadcount !== null && previousYearHeadcount > 0) {
    const change = (Math.abs(s.cadres.length - previousYearHeadcount) * 100) / previousYearHeadcount;
    const threshold = plan.policy.data_quality.headcount_change_threshold_pct;
    if (change > threshold) {
      add('/cadres', 'headcount_change', {
        change_pct: change.toFixed(1).replace('.', ','),
        threshold_pct: threshold,
      });
    }
  }
  if (rules.has('identical_evaluations')) {
    const evaluated = s.cadres.filter((c) => c.evaluation !== undefined && isActive(c.category));
    const distinct = new Set(
      evaluated.map((c) =>
        [
          c.evaluation?.task_results,
          c.evaluation?.service_quality,
          c.evaluation?.coordination,
          c.evaluation?.integrity,
        ].join('|'),
      ),
    );
    if (evaluated.length >= 2 && distinct.size === 1) add('/cadres', 'identical_evaluations');
  }
  if (rules.has('civil_servants_mismatch')) {
    const listed = s.cadres.filter((c) => c.category === 'cong_chuc').length;
    if (listed !== s.report.civil_servants) {
      add('/report/civil_servants', 'civil_servants_mismatch', { declared: s.report.civil_servants, listed });
    }
  }
  return out;
}
