// Submission history (GET /submissions) from an index kept in memory, instead of reading every raw version of
// the year on every request (SubmissionRegistry.history: 12 s for one year at national scale).
//
// Per year the index holds the committed versions and the voids, read from the commit markers and void files
// — small per-submission files or compacted part files alike (compaction/compact.ts): the index never
// depends on one file per submission existing — plus the versions claimed without a commit marker (raw JSON
// present, no marker: an ingest in progress or a failed one), found by listing raw/.
//
// Updates are incremental. `invalidate()` (MartRefresher.schedule: every accepted POST and void in this
// process, and the store watcher for other processes) marks the index stale; the next request for a year
// lists that year's marker and void folders (one folder each) and reads only files it has not seen. Markers,
// voids and raw versions are immutable and compacted part files are create-only, so a file read once is
// never read again.
//
// Claimed-but-uncommitted versions (`committed: false`, as the registry shows them): a commune's answer
// (`?commune=`, or a commune officer's) lists that commune's raw folder on every request, exactly as the
// registry does, so it shows such a claim at once. Listing a whole year's raw folder costs ~0.3 s at national
// scale (one folder per commune), too much per request: the whole-year answer lists it when the year's index
// is built (the server prewarms every plan year at start), then again in the background, at most every
// RESCAN_MS while the answer is being asked for. A claim whose commit failed (its POST answered 5xx, so
// nothing announced it) therefore shows in the whole-year answer within RESCAN_MS (plus one request), not on
// the very next request — at once if its commune's answer was asked first. Nothing else differs: a POST
// that answered 201 has committed, and invalidate() ran before it answered. The dashboard reads `committed`
// nowhere; its commune page reads the commune's answer.
import { Buffer } from 'node:buffer';
import { PLAN, type Plan, reportDeadlineUtc } from '@scorecard/data-contracts';
import { parquetReadObjects } from 'hyparquet';
import { type HistoryRow, historyRow, type VersionHead } from '../ingest/registry.ts';
import { type StoredVersion, tableKey } from '../ingest/stored.ts';
import { getJson, type ObjectStore } from '../ports/object-store.ts';

const SMALL_FILE = /\/([0-9a-f-]{36})\.parquet$/;
const PART_FILE = /\/part-[0-9a-z-]+\.parquet$/;
const RAW_VERSION = /^raw\/year=\d{4}\/commune=([^/]+)\/v(\d{6})\.json$/;
const COMMUNE_CODE = /^[0-9A-Za-z_-]{1,32}$/;
const MARKER_COLUMNS = [
  'submission_id',
  'commune_code',
  'version',
  'received_at',
  'content_sha256',
  'submitted_by',
];
const VOID_COLUMNS = ['submission_id', 'reason'];
/** How often (real time) the whole-year answer re-lists the year's raw folder for claims without a marker. */
export const RESCAN_MS = 30_000;

/** What the history shows of one version (the commit marker's columns; the same fields as the raw JSON). */
type Version = VersionHead;

class YearIndex {
  /** Committed versions by submission_id. */
  readonly committed = new Map<string, Version>();
  /** `${commune_code}/${version}` of every committed version. */
  readonly slots = new Set<string>();
  /** Void reason by submission_id. */
  readonly voids = new Map<string, string>();
  /** Raw key → a version claimed without a commit marker when last looked at. */
  readonly pending = new Map<string, Version>();
  rawScanned = false;
  /** performance.now() of the last listing of the year's raw folder, and the background re-listing in flight. */
  rawScannedAt = 0;
  rescanning: Promise<void> | null = null;
  /** The change count this index reflects. */
  synced = -1;
  syncing: Promise<boolean> | null = null;
  /** Whole-year answers, encoded, by who sees submitted_by; cleared on every change. */
  readonly encoded = new Map<string, Buffer>();

  addCommitted(v: Version): boolean {
    if (this.committed.has(v.submission_id)) return false;
    this.committed.set(v.submission_id, v);
    this.slots.add(`${v.commune_code}/${v.version}`);
    return true;
  }
}

function toIso(v: unknown): string {
  return v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
}

function versionOf(row: Record<string, unknown>, year: number): Version {
  return {
    submission_id: String(row.submission_id),
    commune_code: String(row.commune_code),
    year,
    version: Number(row.version),
    received_at: toIso(row.received_at),
    content_sha256: String(row.content_sha256),
    submitted_by: String(row.submitted_by),
  };
}

export class SubmissionHistory {
  private changes = 0;
  private stopped = false;
  /** See RESCAN_MS (tests set 0). */
  rescanMs = RESCAN_MS;
  private readonly years = new Map<number, YearIndex>();
  /** Rows of compacted part files (create-only, never rewritten): read once. */
  private readonly parts = new Map<string, Record<string, unknown>[]>();

  constructor(
    private readonly store: ObjectStore,
    private readonly plan: Plan = PLAN,
  ) {}

  /** Something may have been committed or voided: the next request re-lists the year's marker and void folders. */
  invalidate(): void {
    this.changes++;
  }

  /** Builds the indexes of the plan's years in the background (the first answer of a year then waits on nothing). */
  async prewarm(): Promise<void> {
    for (const year of this.plan.years) {
      if (this.stopped) return;
      await this.index(year);
    }
  }

  stop(): void {
    this.stopped = true;
  }

  /** The history rows, in the registry's order: commune, then version. */
  async rows(year: number, commune?: string): Promise<HistoryRow[]> {
    const ix = await this.prepare(year, commune);
    return ix ? this.assemble(ix, year, commune) : [];
  }

  /** The `rows` array of the answer as JSON (UTF-8); analysts get it without `submitted_by`. Whole-year answers are cached until the next change. */
  async rowsJson(year: number, commune: string | undefined, withSubmitter: boolean): Promise<Buffer> {
    const ix = await this.prepare(year, commune);
    if (!ix) return Buffer.from('[]');
    // From here on synchronous: nothing can change the index between assembling and caching.
    const cacheKey = withSubmitter ? 'all' : 'no_submitter';
    const cached = commune === undefined ? ix.encoded.get(cacheKey) : undefined;
    if (cached !== undefined) return cached;
    const rows = this.assemble(ix, year, commune);
    const json = Buffer.from(
      JSON.stringify(withSubmitter ? rows : rows.map(({ submitted_by: _, ...rest }) => rest)),
      'utf8',
    );
    if (commune === undefined && ix.synced >= this.changes) ix.encoded.set(cacheKey, json);
    return json;
  }

  private async prepare(year: number, commune: string | undefined): Promise<YearIndex | null> {
    if (!this.plan.years.includes(year)) return null;
    if (commune !== undefined && !COMMUNE_CODE.test(commune)) return null;
    const ix = await this.index(year);
    if (commune === undefined && !ix.rescanning && performance.now() - ix.rawScannedAt >= this.rescanMs) {
      // Claims without a marker that nothing announced: looked for in the background, this answer not delayed.
      ix.rawScannedAt = performance.now();
      ix.rescanning = this.scanRaw(year, ix)
        .then(() => undefined)
        .catch(() => undefined)
        .finally(() => {
          ix.rescanning = null;
        });
    }
    if (commune !== undefined) {
      // The commune's raw folder, every time: a version committed by another process before the watcher
      // noticed, or claimed without a marker, shows at once (one small listing).
      for (const key of await this.store.list(`raw/year=${year}/commune=${commune}/`))
        await this.claim(year, ix, key);
    }
    return ix;
  }

  private assemble(ix: YearIndex, year: number, commune: string | undefined): HistoryRow[] {
    const deadline = reportDeadlineUtc(this.plan, year).getTime();
    const out: HistoryRow[] = [];
    const push = (v: Version, committed: boolean) => {
      if (commune !== undefined && v.commune_code !== commune) return;
      out.push(historyRow(v, deadline, committed, ix.voids.get(v.submission_id)));
    };
    for (const v of ix.committed.values()) push(v, true);
    for (const v of ix.pending.values()) push(v, false);
    return out.sort((a, b) => a.commune_code.localeCompare(b.commune_code) || a.version - b.version);
  }

  /** The year's index, brought up to date with the store when something changed since it was last looked at. */
  private async index(year: number): Promise<YearIndex> {
    let ix = this.years.get(year);
    if (!ix) {
      ix = new YearIndex();
      this.years.set(year, ix);
    }
    // Two rounds at most: one that may have started before the latest change, then one of our own. A round
    // that could not read every file (a file swept by compaction mid-listing) leaves the index stale, so the
    // next request tries again.
    for (let round = 0; round < 2 && ix.synced < this.changes; round++) {
      if (!ix.syncing) {
        const target = this.changes;
        const current = ix;
        current.syncing = this.sync(year, current)
          .then((complete) => {
            if (complete) current.synced = Math.max(current.synced, target);
            return complete;
          })
          .finally(() => {
            current.syncing = null;
          });
      }
      await ix.syncing;
    }
    return ix;
  }

  /** Reads what is new in the year's marker, void and (the first time) raw folders. False if a listed file was gone. */
  private async sync(year: number, ix: YearIndex): Promise<boolean> {
    let complete = true;
    let changed = false;
    const markerPrefix = `curated/submissions/year=${year}/`;
    const markers = await this.store.list(markerPrefix);
    this.prune(markerPrefix, markers);
    for (const key of markers) {
      const id = SMALL_FILE.exec(key)?.[1];
      if (id !== undefined && ix.committed.has(id)) continue;
      if (id === undefined && !PART_FILE.test(key)) continue;
      const rows = await this.readRows(key, MARKER_COLUMNS, id === undefined);
      if (!rows) complete = false;
      for (const row of rows ?? []) changed = ix.addCommitted(versionOf(row, year)) || changed;
    }
    const voidPrefix = `curated/voids/year=${year}/`;
    const voids = await this.store.list(voidPrefix);
    this.prune(voidPrefix, voids);
    for (const key of voids) {
      const id = SMALL_FILE.exec(key)?.[1];
      if (id !== undefined && ix.voids.has(id)) continue;
      if (id === undefined && !PART_FILE.test(key)) continue;
      const rows = await this.readRows(key, VOID_COLUMNS, id === undefined);
      if (!rows) complete = false;
      else if (id !== undefined && rows.length === 0) {
        ix.voids.set(id, '');
        changed = true;
      }
      for (const row of rows ?? []) {
        const voided = String(row.submission_id);
        if (ix.voids.has(voided)) continue;
        ix.voids.set(voided, String(row.reason ?? ''));
        changed = true;
      }
    }
    if (!ix.rawScanned) {
      ix.rawScannedAt = performance.now();
      changed = (await this.scanRaw(year, ix)) || changed;
      ix.rawScanned = true;
    }
    for (const [key, v] of ix.pending) {
      if (ix.committed.has(v.submission_id)) {
        ix.pending.delete(key);
        changed = true;
      }
    }
    if (changed) ix.encoded.clear();
    return complete;
  }

  /** Every raw version of the year not known as committed (see claim). */
  private async scanRaw(year: number, ix: YearIndex): Promise<boolean> {
    let changed = false;
    for (const key of await this.store.list(`raw/year=${year}/`))
      changed = (await this.claim(year, ix, key)) || changed;
    return changed;
  }

  /** A raw version not known as committed: committed since (its marker exists), or a claim without a marker. */
  private async claim(year: number, ix: YearIndex, key: string): Promise<boolean> {
    const m = RAW_VERSION.exec(key);
    if (!m || ix.slots.has(`${m[1]}/${Number(m[2])}`)) return false;
    let v: Version | null | undefined = ix.pending.get(key);
    if (!v) {
      const stored = await getJson<StoredVersion>(this.store, key);
      if (!stored) return false;
      v = {
        ...versionOf(stored as unknown as Record<string, unknown>, stored.year),
        received_at: stored.received_at,
      };
    }
    if (ix.committed.has(v.submission_id)) return false;
    if (await this.store.exists(tableKey('submissions', year, v.submission_id))) {
      ix.pending.delete(key);
      ix.addCommitted(v);
    } else if (!ix.pending.has(key)) {
      ix.pending.set(key, v);
    } else {
      return false;
    }
    ix.encoded.clear();
    return true;
  }

  private async readRows(
    key: string,
    columns: string[],
    immutable: boolean,
  ): Promise<Record<string, unknown>[] | null> {
    const known = this.parts.get(key);
    if (known) return known;
    const bytes = await this.store.get(key);
    if (!bytes) return null;
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const rows = (await parquetReadObjects({ file, columns })) as Record<string, unknown>[];
    if (immutable) this.parts.set(key, rows);
    return rows;
  }

  /** Forgets part files no longer listed under a prefix (superseded by a later compaction run). */
  private prune(prefix: string, listed: readonly string[]): void {
    const present = new Set(listed);
    for (const key of this.parts.keys())
      if (key.startsWith(prefix) && !present.has(key)) this.parts.delete(key);
  }
}
