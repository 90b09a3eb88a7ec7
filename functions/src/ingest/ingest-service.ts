// The ingest pipeline — the only way data enters the product (API, .xlsx template and `ingest` command all
// call it): validate → normalise → person keys → content hash → version claim → Parquet → commit marker.
//
// Write protocol (crash-safe, race-safe):
//   1. claim version N by creating raw/year=Y/commune=C/v00000N.json create-only (If-None-Match);
//      the claim holds the whole stored submission, so it alone is enough to finish the job later;
//   2. write the Parquet tables; 3. write the commit marker (curated/submissions/…) last.
// Views read only committed submissions. A claim without its marker is "pending": the next ingest for that
// commune-year (or a retry of the same content) completes it first, so nothing is ever half-visible or lost.
import {
  COMMUNES,
  type Commune,
  type FieldError,
  fieldError,
  PLAN,
  type Plan,
  reportDeadlineUtc,
  SUBMISSION_TABLES_IN_WRITE_ORDER,
  TABLES,
  type TableName,
  validateSubmission,
  yearInPlanZone,
} from '@scorecard/data-contracts';
import { uuidv7 } from 'uuidv7';
import { sha256Hex as sha256Of } from '../codec/canonical.ts';
import { toParquet } from '../codec/parquet.ts';
import { CompactionIndex } from '../compaction/coverage-index.ts';
import type { Clock } from '../ports/clock.ts';
import { getJson, type ObjectStore, PreconditionFailed } from '../ports/object-store.ts';
import { type Actor, AuditLog } from './audit.ts';
import type { PersonKeyFn } from './person-key.ts';
import { type SoftFinding, softFindings } from './soft-rules.ts';
import {
  contentHash,
  rawKey,
  type StoredCadre,
  type StoredSubmission,
  type StoredVersion,
  tableKey,
  tableRows,
} from './stored.ts';

export type IngestStatus = 'accepted' | 'duplicate' | 'rejected' | 'forbidden';

export interface IngestOutcome {
  status: IngestStatus;
  submission_id?: string;
  version?: number;
  received_at?: string;
  on_time?: boolean;
  errors: FieldError[];
  soft_findings: SoftFinding[];
}

export interface IngestDeps {
  store: ObjectStore;
  clock: Clock;
  personKey: PersonKeyFn;
  plan?: Plan;
  communes?: readonly Commune[];
  /** Called after a submission is committed (the marts refresh listens here). */
  onCommitted?: (v: StoredVersion) => void;
}

export interface IngestOptions {
  actor: Actor;
  dryRun?: boolean;
  /** Recorded as submitted_by instead of the actor (demo data is marked `demo`). */
  submittedBy?: string;
}

const MAX_CLAIM_ATTEMPTS = 1000;

export class IngestService {
  readonly plan: Plan;
  readonly audit: AuditLog;
  /** Commit markers and voids that compaction moved out of their per-submission files (compaction/coverage-index.ts). */
  readonly index: CompactionIndex;
  private readonly communeCodes: Set<string>;

  constructor(private readonly deps: IngestDeps) {
    this.plan = deps.plan ?? PLAN;
    this.communeCodes = new Set((deps.communes ?? COMMUNES).map((c) => c.commune_code));
    this.audit = new AuditLog(deps.store, deps.clock);
    this.index = new CompactionIndex(deps.store);
  }

  async ingest(raw: unknown, options: IngestOptions): Promise<IngestOutcome> {
    const { actor } = options;
    const claimed =
      raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>).commune_code : undefined;
    const claimedCode = typeof claimed === 'string' ? claimed.trim() : undefined;
    // A commune may only submit for itself: 403, before any validation detail (docs/contracts.md) — when the
    // submission clearly names another commune. A blank or unrecognised commune is an ordinary field error,
    // reported with every other error (validation below); nothing is written either way.
    if (
      actor.role === 'commune' &&
      claimedCode !== undefined &&
      this.communeCodes.has(claimedCode) &&
      claimedCode !== actor.commune_code
    ) {
      await this.audit.record(actor, 'submission.create', 'forbidden', claimedCode);
      return {
        status: 'forbidden',
        errors: [fieldError(['commune_code'], 'forbidden_commune', { own: actor.commune_code ?? '' })],
        soft_findings: [],
      };
    }
    if (actor.role !== 'commune' && actor.role !== 'admin') {
      return { status: 'forbidden', errors: [fieldError('', 'forbidden')], soft_findings: [] };
    }
    const now = this.deps.clock.now();
    const result = validateSubmission(raw, {
      currentYear: yearInPlanZone(this.plan, now),
      planYears: this.plan.years,
      communeCodes: this.communeCodes,
    });
    if (!result.ok) return this.reject(actor, result.errors, options.dryRun);
    const s = result.value;

    // Versions read once per ingest: the carry-over, the headcount and the duplicate check share them.
    const seen = new VersionMemo(this);
    await this.completePending(s.commune_code, s.year, seen);
    const previous = await this.previousForCarryOver(s.commune_code, s.year, seen);
    const carried = new Map(previous?.submission.cadres.map((c) => [c.cadre_code, c.person_key]) ?? []);
    const errors: FieldError[] = [];
    const cadres: StoredCadre[] = s.cadres.map((c, i) => {
      const { national_id, ...rest } = c;
      let person_key =
        national_id !== undefined ? this.deps.personKey(national_id) : carried.get(c.cadre_code);
      if (person_key === undefined) {
        errors.push(
          fieldError(['cadres', i, 'national_id'], 'national_id_required', { cadre_code: c.cadre_code }),
        );
        person_key = '';
      }
      return {
        ...rest,
        person_key,
        on_probation: c.on_probation ?? false,
        rotated_in: c.rotated_in ?? false,
      };
    });
    if (errors.length > 0) return this.reject(actor, errors, options.dryRun);
    const stored: StoredSubmission = { ...s, cadres };
    const prevYearHeadcount = await this.headcount(s.commune_code, s.year - 1, seen);
    const findings = softFindings(this.plan, stored, prevYearHeadcount);
    if (options.dryRun) {
      return { status: 'accepted', errors: [], soft_findings: findings };
    }
    const hash = contentHash(stored);
    const submittedBy = options.submittedBy ?? actor.sub;

    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
      // Listed afresh on every attempt (another writer may have claimed meanwhile); contents stay memoised.
      const versions = await this.versionKeys(s.commune_code, s.year);
      // Compared with the newest claim, committed or not: a racer's pending claim is completed first, so two
      // identical submissions at once never become two versions.
      await this.completePending(s.commune_code, s.year, seen, versions);
      const latest = await this.latestAccepted(s.commune_code, s.year, versions, seen);
      // Identical to the latest accepted version: idempotent, nothing written (docs/contracts.md).
      if (latest && latest.content_sha256 === hash) {
        await this.audit.record(actor, 'submission.create', 'duplicate', latest.submission_id, {
          version: latest.version,
        });
        return { ...this.outcomeOf(latest, 'duplicate'), soft_findings: findings };
      }
      const version = versions.length + 1;
      const v: StoredVersion = {
        submission_id: uuidv7(),
        commune_code: s.commune_code,
        year: s.year,
        version,
        received_at: this.deps.clock.now().toISOString(),
        submitted_by: submittedBy,
        content_sha256: hash,
        schema_version: 1,
        submission: stored,
      };
      try {
        await this.deps.store.put(rawKey(s.year, s.commune_code, version), JSON.stringify(v), {
          ifNoneMatch: true,
          contentType: 'application/json',
        });
      } catch (e) {
        if (e instanceof PreconditionFailed) {
          // Another writer took this version: finish whatever it left pending, then look again.
          await this.completePending(s.commune_code, s.year, seen);
          continue;
        }
        throw e;
      }
      await this.commit(v);
      await this.audit.record(actor, 'submission.create', 'accepted', v.submission_id, {
        commune_code: v.commune_code,
        year: v.year,
        version: v.version,
        cadre_rows: cadres.length,
      });
      return { ...this.outcomeOf(v, 'accepted'), soft_findings: findings };
    }
    throw new Error('ingest: could not claim a version (too much contention)');
  }

  private async reject(actor: Actor, errors: FieldError[], dryRun?: boolean): Promise<IngestOutcome> {
    // The audit keeps codes and paths only, never the values (which may be personal data).
    if (!dryRun) {
      await this.audit.record(actor, 'submission.create', 'rejected', undefined, {
        errors: errors.slice(0, 200).map((e) => ({ path: e.path, code: e.code })),
        error_count: errors.length,
      });
    }
    return { status: 'rejected', errors, soft_findings: [] };
  }

  outcomeOf(v: StoredVersion, status: IngestStatus): IngestOutcome {
    return {
      status,
      submission_id: v.submission_id,
      version: v.version,
      received_at: v.received_at,
      on_time: Date.parse(v.received_at) < reportDeadlineUtc(this.plan, v.year).getTime(),
      errors: [],
      soft_findings: [],
    };
  }

  /**
   * Writes the Parquet tables and, last, the commit marker. Idempotent: a retry rewrites identical bytes.
   * Per-submission files are small and transient (compaction rewrites them into large files with Snappy and
   * statistics), so they are written without either: most of their cost was per-file overhead, not rows.
   */
  async commit(v: StoredVersion): Promise<void> {
    // Stamped now: the instant the version becomes visible (an as-of before it never sees it, even if the
    // claim, and its received_at, are older — a version completed after a crash).
    const rows = tableRows(v, this.plan, this.deps.clock.now());
    // The data tables are independent of each other: write them together; the commit marker strictly last,
    // carrying the sha256 of each file it commits (a load verifies them: integrity/verify.ts).
    const marker = SUBMISSION_TABLES_IN_WRITE_ORDER[SUBMISSION_TABLES_IN_WRITE_ORDER.length - 1] as TableName;
    const hashes: Record<string, string> = {};
    await Promise.all(
      SUBMISSION_TABLES_IN_WRITE_ORDER.filter((t) => t !== marker).map((t) => {
        const bytes = toParquet(TABLES[t], rows[t], { compact: false });
        hashes[t] = sha256Of(bytes);
        return this.deps.store.put(tableKey(t, v.year, v.submission_id), bytes);
      }),
    );
    const markerRows = rows[marker].map((r) => ({
      ...r,
      files_sha256: JSON.stringify(hashes, Object.keys(hashes).sort()),
    }));
    // The marker is create-only: when two writers complete the same claim, the first marker stays (it is what
    // the views and the register saw first).
    try {
      await this.deps.store.put(
        tableKey(marker, v.year, v.submission_id),
        toParquet(TABLES[marker], markerRows, { compact: false }),
        {
          ifNoneMatch: true,
        },
      );
    } catch (e) {
      if (!(e instanceof PreconditionFailed)) throw e;
    }
    this.deps.onCommitted?.(v);
  }

  async versionKeys(commune: string, year: number): Promise<string[]> {
    return (await this.deps.store.list(`raw/year=${year}/commune=${commune}/`)).filter((k) =>
      /\/v\d{6}\.json$/.test(k),
    );
  }

  async readVersion(key: string): Promise<StoredVersion | null> {
    return getJson<StoredVersion>(this.deps.store, key);
  }

  /** Committed: its own commit marker exists, or a compaction manifest covers it (compaction/coverage-index.ts). */
  async isCommitted(v: StoredVersion): Promise<boolean> {
    return this.index.isCommitted(v.year, v.submission_id);
  }

  async isVoided(v: StoredVersion): Promise<boolean> {
    return this.index.isVoided(v.year, v.submission_id);
  }

  /** Finishes versions whose claim landed but whose commit marker did not (a crash, a failed write). */
  async completePending(
    commune: string,
    year: number,
    seen = new VersionMemo(this),
    listed?: string[],
  ): Promise<void> {
    const keys = listed ?? (await this.versionKeys(commune, year));
    // Only the newest few can be pending: every successful ingest completes what precedes it.
    for (const key of keys.slice(-3)) {
      const v = await seen.read(key);
      if (v && !(await seen.committed(v))) {
        await this.commit(v);
        seen.markCommitted(v);
      }
    }
  }

  /** The latest version that is committed and not voided. */
  async latestAccepted(
    commune: string,
    year: number,
    keys?: string[],
    seen = new VersionMemo(this),
  ): Promise<StoredVersion | null> {
    const all = keys ?? (await this.versionKeys(commune, year));
    for (let i = all.length - 1; i >= 0; i--) {
      const v = await seen.read(all[i] as string);
      if (v && (await seen.committed(v)) && !(await this.isVoided(v))) return v;
    }
    return null;
  }

  /** Person keys carry over from the commune's most recent accepted submission (this year, else earlier years). */
  private async previousForCarryOver(
    commune: string,
    year: number,
    seen: VersionMemo,
  ): Promise<StoredVersion | null> {
    for (let y = year; y >= Math.min(...this.plan.years); y--) {
      const v = await this.latestAccepted(commune, y, undefined, seen);
      if (v) return v;
    }
    return null;
  }

  private async headcount(commune: string, year: number, seen: VersionMemo): Promise<number | null> {
    if (!this.plan.years.includes(year)) return null;
    const v = await this.latestAccepted(commune, year, undefined, seen);
    return v ? v.submission.cadres.length : null;
  }
}

/**
 * What one ingest has already read: stored versions by key (a claimed version never changes while an ingest
 * runs) and versions known to be committed (a commit is never undone). Voids are always asked afresh.
 */
class VersionMemo {
  private readonly versions = new Map<string, Promise<StoredVersion | null>>();
  private readonly committedIds = new Set<string>();
  constructor(private readonly svc: IngestService) {}

  read(key: string): Promise<StoredVersion | null> {
    let v = this.versions.get(key);
    if (!v) {
      v = this.svc.readVersion(key);
      this.versions.set(key, v);
    }
    return v;
  }

  async committed(v: StoredVersion): Promise<boolean> {
    if (this.committedIds.has(v.submission_id)) return true;
    const yes = await this.svc.isCommitted(v);
    if (yes) this.committedIds.add(v.submission_id);
    return yes;
  }

  markCommitted(v: StoredVersion): void {
    this.committedIds.add(v.submission_id);
  }
}
