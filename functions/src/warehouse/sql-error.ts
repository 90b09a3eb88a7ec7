// An analyst SQL refusal or failure with its catalogue code (data-contracts i18n/errors.ts) and its vi/en text.
// Crosses from the analysts' process to the server as { code, detail, params } and is rebuilt there.
import { message } from '@scorecard/data-contracts';

export type SqlErrorCode =
  | 'sql_rejected'
  | 'sql_failed'
  | 'sql_timeout'
  | 'sql_too_large'
  | 'sql_out_of_memory'
  | 'sql_engine_restarted';

export class SqlError extends Error {
  readonly message_vi: string;
  readonly message_en: string;
  constructor(
    readonly code: SqlErrorCode,
    readonly detail: string,
    readonly params: Record<string, string | number> = { detail },
  ) {
    super(`${code}: ${detail}`);
    this.name = 'SqlError';
    const m = message(code, params);
    this.message_vi = m.message_vi;
    this.message_en = m.message_en;
  }
}
