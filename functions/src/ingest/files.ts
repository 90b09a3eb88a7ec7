// Reading submission files for the `ingest` command: .json directly, .xlsx through the template parser.
// Validation errors of an .xlsx are rewritten to the cells the officer sees (`CanBo!F14`).
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { type FieldError, fieldError } from '@scorecard/data-contracts';
import { compareMessagePaths } from '../excel/layout.ts';
import type { IngestOptions, IngestOutcome, IngestService } from './ingest-service.ts';

export interface LoadedFile {
  raw: unknown | null;
  errors: FieldError[];
  /** Maps a JSON pointer to where the user typed it (a cell), when the file was a workbook. */
  locate?: (pointer: string) => string | undefined;
  /** The HTTP status of a file refused before validation when it is not 422: too costly to read (413), busy (503). */
  status?: 413 | 503;
}

export async function loadSubmissionBytes(name: string, bytes: Uint8Array): Promise<LoadedFile> {
  const ext = extname(name).toLowerCase();
  if (ext === '.json') {
    try {
      return { raw: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)), errors: [] };
    } catch {
      return { raw: null, errors: [fieldError('', 'invalid_json')] };
    }
  }
  if (ext === '.xlsx') {
    const { submissionFromWorkbook } = await import('../excel/index.ts');
    return submissionFromWorkbook(bytes);
  }
  return { raw: null, errors: [fieldError('', 'file_format')] };
}

export async function loadSubmissionFile(path: string): Promise<LoadedFile> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    return {
      raw: null,
      errors: [fieldError('', 'file_unreadable', { detail: (e as NodeJS.ErrnoException).code ?? 'error' })],
    };
  }
  return loadSubmissionBytes(path, bytes);
}

/**
 * Ingests a loaded file. When the workbook parser already found errors, the submission is still validated
 * (as a dry run, writing nothing) so that the officer sees every error of the file at once, by cell.
 */
export async function ingestLoaded(
  service: IngestService,
  loaded: LoadedFile,
  options: IngestOptions,
): Promise<IngestOutcome> {
  if (loaded.raw === null && loaded.errors.length > 0)
    return { status: 'rejected', errors: loaded.errors, soft_findings: [] };
  if (loaded.errors.length > 0) {
    const dry = await service.ingest(loaded.raw, { ...options, dryRun: true });
    if (dry.status === 'forbidden') return { ...dry, errors: relocate(dry.errors, loaded.locate) };
    return { status: 'rejected', errors: mergeErrors(loaded, dry.errors), soft_findings: [] };
  }
  const out = await service.ingest(loaded.raw, options);
  if (!loaded.locate) return out;
  // From a workbook: every message — errors and soft findings alike — at the cell the officer typed it, in
  // sheet, row and column order.
  return {
    ...out,
    errors: inCellOrder(relocate(out.errors, loaded.locate)),
    soft_findings: inCellOrder(relocate(out.soft_findings, loaded.locate)),
  };
}

function inCellOrder<T extends { path: string }>(messages: T[]): T[] {
  return [...messages].sort((a, b) => compareMessagePaths(a.path, b.path));
}

function mergeErrors(loaded: LoadedFile, validation: FieldError[]): FieldError[] {
  const seen = new Set(loaded.errors.map((e) => e.path));
  const rewritten = relocate(validation, loaded.locate).filter((e) => !seen.has(e.path));
  const unique = [
    ...new Map([...loaded.errors, ...rewritten].map((e) => [`${e.path}|${e.code}`, e])).values(),
  ];
  return inCellOrder(unique);
}

function relocate<T extends { path: string }>(
  errors: T[],
  locate?: (pointer: string) => string | undefined,
): T[] {
  if (!locate) return errors;
  return errors.map((e) => ({ ...e, path: locate(e.path) ?? e.path }));
}
