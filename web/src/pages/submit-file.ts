// Nộp báo cáo, before anything is sent: what the chosen file is. A file over the size limit or a JSON file that
// is not JSON is answered here, in the same shape as the server's dry run; anything else becomes an upload (the
// .xlsx template as multipart, JSON as text) with, for JSON, what the file says it is (commune, year, cadres).
import { LIMITS, message } from '@scorecard/data-contracts';
import { t } from '../lib/i18n.ts';
import type { DryRunResult } from '../lib/types.ts';
import type { Upload } from './submit.data.ts';

export interface FileSummary {
  commune_code?: string;
  year?: number;
  cadres?: number;
}

export type Prepared = { upload: Upload; summary: FileSummary | null } | { refused: DryRunResult };

/** A JSON pointer as the officer reads it: "/cadres/12/national_id" → "cadres › 13 › national_id" (rows from 1). */
export function readablePath(path: string): string {
  if (path === '' || path === '/') return t('path_root');
  if (!path.startsWith('/')) return path; // Excel: "CanBo!F14" is already what the user sees
  return path
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? String(Number(part) + 1) : part))
    .join(' › ');
}

/** The file's text (Blob.text where available; FileReader otherwise). */
function readText(file: Blob): Promise<string> {
  if (typeof file.text === 'function') return file.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file);
  });
}

const refusedWith = (error: DryRunResult['errors'][number]): Prepared => ({
  refused: { valid: false, errors: [error], soft_findings: [] },
});

/** The chosen file as an upload, or the reason it cannot be one. */
export async function prepareUpload(file: File): Promise<Prepared> {
  if (file.size > LIMITS.maxBodyBytes) {
    return refusedWith({
      path: '',
      ...message('payload_too_large', { max_mb: LIMITS.maxBodyBytes / 1024 / 1024 }),
    });
  }
  // The .xlsx template goes to the same route as multipart; the server parses and validates it the same way.
  if (/\.xlsx$/i.test(file.name)) return { upload: { kind: 'xlsx', file, name: file.name }, summary: null };
  const text = await readText(file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return refusedWith({ path: '', ...message('invalid_json') });
  }
  let summary: FileSummary | null = null;
  if (parsed && typeof parsed === 'object') {
    const p = parsed as { commune_code?: unknown; year?: unknown; cadres?: unknown };
    summary = {
      ...(typeof p.commune_code === 'string' ? { commune_code: p.commune_code } : {}),
      ...(typeof p.year === 'number' ? { year: p.year } : {}),
      ...(Array.isArray(p.cadres) ? { cadres: p.cadres.length } : {}),
    };
  }
  return { upload: { kind: 'json', text }, summary };
}
