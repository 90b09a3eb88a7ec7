// Nộp báo cáo: dry run first (`?dry_run=true` validates, writes nothing), then the real submission. The body is
// the file as uploaded: JSON text, or the .xlsx template as multipart to the same route.
import { getFile, getTable, post } from '../lib/api.ts';
import type { CommuneRow, DryRunResult, FieldError, SubmitResult } from '../lib/types.ts';

export type Upload = { kind: 'json'; text: string } | { kind: 'xlsx'; file: Blob; name: string };

function body(upload: Upload): string | FormData {
  if (upload.kind === 'json') return upload.text;
  const form = new FormData();
  form.set('file', upload.file, upload.name);
  return form;
}

function asErrors(value: unknown): FieldError[] {
  return Array.isArray(value) ? (value as FieldError[]) : [];
}

/** 200 {valid, errors, soft_findings}; a 422 {errors} is read as the same answer, invalid. */
export async function dryRun(upload: Upload): Promise<DryRunResult> {
  const { status, body: b } = await post<Partial<DryRunResult>>('/submissions', body(upload), {
    query: { dry_run: true },
    acceptStatuses: [422],
  });
  const errors = asErrors(b.errors);
  return {
    valid: status !== 422 && b.valid !== false && errors.length === 0,
    errors,
    soft_findings: asErrors(b.soft_findings),
  };
}

export type SubmitOutcome =
  | { ok: true; result: SubmitResult; created: boolean }
  | { ok: false; errors: FieldError[] };

/**
 * 201 a new version, 200 the same content as the latest version (nothing written), 422 every error.
 * The Idempotency-Key makes a double click or a retry safe.
 */
export async function submitReport(upload: Upload, idempotencyKey: string): Promise<SubmitOutcome> {
  const { status, body: b } = await post<SubmitResult & { errors?: FieldError[] }>(
    '/submissions',
    body(upload),
    {
      headers: { 'Idempotency-Key': idempotencyKey },
      acceptStatuses: [422],
    },
  );
  if (status === 422) return { ok: false, errors: asErrors(b.errors) };
  return { ok: true, result: b, created: status === 201 };
}

/** The Excel template, blank or pre-filled from the commune's latest accepted version of the year (no CCCD). */
export function fetchTemplate(prefill?: { commune: string; year: number }) {
  return getFile('/template.xlsx', prefill ? { prefill: prefill.commune, year: prefill.year } : {});
}

export async function fetchCommuneNames() {
  return (await getTable<CommuneRow>('/communes')).rows;
}
