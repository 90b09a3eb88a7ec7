// The current language and the lookups into the one vi/en catalogue (data-contracts/src/i18n). Vietnamese is the
// default; the choice is remembered in the browser.
import {
  type Bilingual,
  COMMUNE_TYPE,
  type CodeLabel,
  fill,
  type Params,
  PLAN,
  TRAINING,
  UI,
  type UiKey,
} from '@scorecard/data-contracts';
import { createSignal } from 'solid-js';
import type { Lang } from './format.ts';

const STORAGE_KEY = 'scorecard.lang';

function initialLang(): Lang {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

const [lang, setLangSignal] = createSignal<Lang>(initialLang());

export { lang };

export function setLang(next: Lang): void {
  setLangSignal(next);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

/** A dashboard word in the current language. */
export function t(key: UiKey, params?: Params): string {
  return fill(UI[key][lang()], params);
}

/** Any bilingual entry (code labels, plan severities) in the current language. */
export function pick(entry: Bilingual | CodeLabel | undefined, fallback = ''): string {
  return entry ? entry[lang()] : fallback;
}

/** A message the API sent ({code, message_vi, message_en}) in the current language. */
export function apiText(m: { message_vi: string; message_en: string }): string {
  return lang() === 'vi' ? m.message_vi : m.message_en;
}

export function kpiPlan(code: string) {
  return PLAN.kpis.find((k) => k.code === code);
}

export function kpiLabel(code: string): string {
  const k = kpiPlan(code);
  return k ? (lang() === 'vi' ? k.label_vi : k.label_en) : code;
}

export function phaseLabel(code: string | null | undefined): string {
  const p = PLAN.phases.find((x) => x.code === code);
  return p ? (lang() === 'vi' ? p.label_vi : p.label_en) : (code ?? '');
}

export function communeTypeLabel(type: string): string {
  return pick((COMMUNE_TYPE.labels as Record<string, CodeLabel>)[type], type);
}

export type { Lang };

export function severityLabel(severity: string): string {
  return ['critical', 'high', 'medium', 'missing'].includes(severity)
    ? t(`severity_${severity}` as 'severity_high')
    : severity;
}

/** The plan's explanation of a severity (product policy, plan.policy.warnings). */
export function severityPolicy(severity: string): string {
  const s = PLAN.policy.warnings.severities as Record<string, Bilingual>;
  return pick(s[severity]);
}

export function reportingStatusLabel(status: 'on_time' | 'late' | 'missing' | 'not_due'): string {
  return t(`status_${status}`);
}

const CADRE_REASONS = [
  'leader_not_standard',
  'not_digitally_proficient',
  'record_not_digitized',
  'leader_training_missing',
];
export function cadreReasonLabel(reason: string): string {
  return CADRE_REASONS.includes(reason) ? t(`reason_${reason}` as 'reason_leader_not_standard') : reason;
}

export function locale(): string {
  return lang() === 'vi' ? 'vi-VN' : 'en-GB';
}

/** A cadre gap's detail: missing training tracks are listed by code ("chuyen_sau,chuc_danh") → their labels. */
export function cadreGapDetail(reason: string, detail: string | null): string {
  if (!detail) return '';
  if (reason !== 'leader_training_missing') return detail;
  const labels = TRAINING.labels as Record<string, CodeLabel>;
  return detail
    .split(/[,;\s]+/)
    .filter((x) => x)
    .map((code) => pick(labels[code], code))
    .join(', ');
}
