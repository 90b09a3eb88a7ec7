// The one vi/en catalogue of user-facing text, in sections: errors and findings (errors.ts), the workbook
// template and meeting packs (excel.ts), the dashboard's words (ui.ts). Everything a user reads comes from here.

import { CLI_TEXT, type CliTextCode } from './cli.ts';
import { ERRORS, type ErrorCode, FINDINGS, type FindingCode } from './errors.ts';
import { EXCEL_ERRORS, type ExcelErrorCode } from './excel.ts';

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

export function message(
  code: ErrorCode | FindingCode | ExcelErrorCode,
  params: Params = {},
): LocalisedMessage {
  const entry: Bilingual =
    code in ERRORS
      ? ERRORS[code as ErrorCode]
      : code in FINDINGS
        ? FINDINGS[code as FindingCode]
        : EXCEL_ERRORS[code as ExcelErrorCode];
  return { code, message_vi: fill(entry.vi, params), message_en: fill(entry.en, params) };
}

export type { CliTextCode, ErrorCode, ExcelErrorCode, FindingCode };
export { ERRORS };

/** A command-line line in both languages: "Vietnamese / English". */
export function say(code: CliTextCode, params: Params = {}): string {
  const t = CLI_TEXT[code];
  return `${fill(t.vi, params)} / ${fill(t.en, params)}`;
}
