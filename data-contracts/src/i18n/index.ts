// The one vi/en catalogue of user-facing text: errors and findings here, the dashboard's words in ui.ts.
import { ERRORS, type ErrorCode, FINDINGS, type FindingCode } from './errors.ts';

export interface Bilingual {
  vi: string;
  en: string;
}

export type Params = Record<string, string | number>;

export function fill(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export interface LocalisedMessage {
  code: string;
  message_vi: string;
  message_en: string;
}

export function message(code: ErrorCode | FindingCode, params: Params = {}): LocalisedMessage {
  const entry: Bilingual = code in ERRORS ? ERRORS[code as ErrorCode] : FINDINGS[code as FindingCode];
  return { code, message_vi: fill(entry.vi, params), message_en: fill(entry.en, params) };
}

export { ERRORS, FINDINGS };
export type { ErrorCode, FindingCode };
