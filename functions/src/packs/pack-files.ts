// What a meeting pack is made of — its files, manifest, steps and content types — apart from the builder
// (meeting-pack.ts), so that the export service, the API and the cloud runner name them without importing
// Plot, pdfmake and exceljs.
import type { Meeting, Plan } from '@scorecard/data-contracts';
import type { SqlEngine } from '../ports/sql-engine.ts';

export const MANIFEST_FILE = 'manifest.json';

export interface ManifestFile {
  name: string;
  bytes: number;
  sha256: string;
  content_type: string;
}

export interface ManifestTable {
  name: string;
  file: string;
  columns: string[];
  rows: number;
  /** sha256 of the table's CSV bytes: equal hashes = equal data. */
  data_sha256: string;
}

export interface Manifest {
  manifest_version: 1;
  plan: { plan_id: string; version: string };
  meeting: Meeting;
  years: number[];
  phase_ends: { phase: string; year: number }[];
  /** Only submissions received up to this instant are in the pack. */
  as_of: string;
  submissions: {
    submission_id: string;
    commune_code: string;
    year: number;
    version: number;
    content_sha256: string;
  }[];
  tables: ManifestTable[];
  /** sha256 over the tables' data hashes, in order: one value that says "same data". */
  data_sha256: string;
  /** Every file of the pack but the manifest itself. */
  files: ManifestFile[];
  /** When the files were written — outside every data hash. */
  generated_at: string;
}

export type PackStep = 'query' | 'workbook' | 'csv' | 'charts' | 'pdf' | 'manifest';
export const PACK_STEPS: readonly PackStep[] = ['query', 'workbook', 'csv', 'charts', 'pdf', 'manifest'];

export interface PackProgress {
  step: PackStep;
  /** Steps finished so far (0 … total). */
  done: number;
  total: number;
}

export type ProgressFn = (p: PackProgress) => void;

/** Where a pack's files go: a local folder (CLI) or the object store (exports/<export_id>/, the API). */
export interface PackSink {
  write(name: string, bytes: Uint8Array, contentType: string): Promise<void>;
}

export const CONTENT_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
  json: 'application/json',
} as const;

/** What the pack builder needs: an engine cut at the as-of, and where the files go. */
export interface BuildPackOptions {
  engine: SqlEngine;
  plan?: Plan;
  year: number;
  meeting: Meeting;
  asOf: Date;
  /** The generation time (manifest only). */
  now: Date;
  sink: PackSink;
  onProgress?: ProgressFn;
}

/** The pack builder (meeting-pack.ts buildMeetingPack), passed in by whoever runs packs. */
export type BuildPack = (o: BuildPackOptions) => Promise<Manifest>;
