// The submission register: history of versions (with on-time and voided flags) and admin voids.
// A void never deletes anything: it adds curated/voids/year=Y/<id>.parquet, which the views skip.
import { PLAN, type Plan, reportDeadlineUtc, TABLES } from '@scorecard/data-contracts';
import { parquetReadObjects } from 'hyparquet';
import { toParquet } from '../codec/parquet.ts';
import { CompactionIndex } from '../compaction/coverage-index.ts';
import type { Clock } from '../ports/clock.ts';
import { getJson, type ObjectStore, PreconditionFailed } from '../ports/object-store.ts';
import type { Actor, AuditLog } from './audit.ts';
import { type StoredVersion, tableKey } from './stored.ts';

export interface HistoryRow {
  submission_id: string;
  commune_code: string;
  year: number;
  version: number;
  received_at: string;
  content_sha256: string;
  on_time: boolean;
  committed: boolean;
  voided: boolean;
  void_reason: string | null;
  submitted_by: string;
}

/** The fields of a stored version a history row shows. */
export type VersionHead = Pick<
  StoredVersion,
  'submission_id' | 'commune_code' | 'year' | 'version' | 'received_at' | 'content_sha256' | 'submitted_by'
>;

/** One history row: the one shape GET /submissions answers with, from the register or the marts' index. */
export function historyRow(
  v: VersionHead,
  deadlineMs: number,
  committed: boolean,
  voidReason: string | null | undefined,
): HistoryRow {
  return {
    submission_id: v.submission_id,
    commune_code: v.commune_code,
    year: v.year,
    version: v.version,
    received_at: v.received_at,
    content_sha256: v.content_sha256,
    on_time: Date.parse(v.received_at) < deadlineMs,
    committed,
    voided: voidReason !== null && voidReason !== undefined,
    void_reason: voidReason ?? null,
    submitted_by: v.submitted_by,
  };
}

export type VoidOutcome =
  | { status: 'voided'; year: number; commune_code: string }
  | { status: 'not_found' }
  | { status: 'already_voided' };

export class SubmissionRegistry {
  /** Commit markers and voids may have moved into compacted files (compaction/coverage-index.ts). */
  private readonly index: CompactionIndex;
  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly plan: Plan = PLAN,
  ) {
    this.index = new CompactionIndex(store);
  }

  async history(year: number, commune?: string): Promise<HistoryRow[]> {
    const prefix = commune ? `raw/year=${year}/commune=${commune}/` : `raw/year=${year}/`;
    const keys = (await this.store.list(prefix)).filter((k) => k.endsWith('.json'));
    const deadline = reportDeadlineUtc(this.plan, year).getTime();
    const rows: HistoryRow[] = [];
    for (const key of keys) {
      const v = await getJson<StoredVersion>(this.store, key);
      if (!v) continue;
      const voidRow = await this.readVoid(v.year, v.submission_id);
      rows.push(
        historyRow(
          v,
          deadline,
          await this.index.isCommitted(v.year, v.submission_id),
          voidRow?.reason ?? (voidRow ? '' : null),
        ),
      );
    }
    return rows.sort((a, b) => a.commune_code.localeCompare(b.commune_code) || a.version - b.version);
  }

  private async readVoid(year: number, id: string): Promise<{ reason: string } | null> {
    const bytes = await this.store.get(tableKey('voids', year, id));
    if (bytes) {
      const rows = (await parquetReadObjects({
        file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      })) as { reason: string }[];
      return rows[0] ?? { reason: '' };
    }
    // Compacted: the void's row now sits in the year's part file.
    if (!(await this.index.isVoided(year, id))) return null;
    const [row] = await this.index.rowsOf('voids', year, id);
    return { reason: String(row?.reason ?? '') };
  }

  /** Finds a committed submission by id: its commit marker names the year; the marker row names the commune. */
  async locate(id: string): Promise<{ year: number; commune_code: string; version: number } | null> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return null;
    const key = (await this.store.list('curated/submissions/')).find((k) => k.endsWith(`/${id}.parquet`));
    const year = key ? Number(/year=(\d{4})/.exec(key)?.[1]) : await this.index.yearOf(id, this.plan.years);
    if (year === null) return null;
    // The marker row (its own file, else the compacted one) names the commune and the version.
    const [row] = await this.index.rowsOf('submissions', year, id);
    return row ? { year, commune_code: String(row.commune_code), version: Number(row.version) } : null;
  }

  async void(id: string, reason: string, actor: Actor): Promise<VoidOutcome> {
    const found = await this.locate(id);
    if (!found) return { status: 'not_found' };
    // A compacted void has no small file left for the create-only write below to collide with.
    if (await this.index.isVoided(found.year, id)) return { status: 'already_voided' };
    const row = { submission_id: id, voided_at: this.clock.now(), voided_by: actor.sub, reason };
    try {
      await this.store.put(tableKey('voids', found.year, id), toParquet(TABLES.voids, [row]), {
        ifNoneMatch: true,
      });
    } catch (e) {
      if (e instanceof PreconditionFailed) return { status: 'already_voided' };
      throw e;
    }
    await this.audit.record(actor, 'submission.void', 'voided', id, {
      year: found.year,
      commune_code: found.commune_code,
      version: found.version,
    });
    return { status: 'voided', ...found };
  }
}
