// Reading submission files for the `ingest` command: .json directly, .xlsx through the template parser.
// Validation errors of an .xlsx are rewritten to the cells the officer sees (`CanBo!F14`).
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { type FieldError, fieldError } from '@scorecard/data-contracts';

export interface LoadedFile {
  raw: unknown | null;
  errors: FieldError[];
  /** Maps a JSON pointer to where the user typed it (a cell), when the file was a workbook. */
  locate?: (pointer: string) => string | undefined;
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
    return { raw: null, errors: [fieldError('', 'file_unreadable', { detail: (e as NodeJS.ErrnoException).code ?? 'error' })] };
  }
  return loadSubmissionBytes(path, bytes);
}

export function relocate(errors: FieldError[], locate?: (pointer: string) => string | undefined): FieldError[] {
  if (!locate) return errors;
  return errors.map((e) => ({ ...e, path: locate(e.path) ?? e.path }));
}
