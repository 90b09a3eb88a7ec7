// National-scale generator for the benchmarks: ~3,321 communes (the province's 102 real ones first, then
// synthetic 5-digit codes) × the five plan years × ~40 cadres, 10 % of commune-years sending a correction.
// Every submission goes through the ingest pipeline (IngestService: validation, person keys, carry-over, content
// hash, create-only version claim; a per-task clock gives each submission its arrival time). The national
// folder commits in batches (BatchIngestService): the same rows, written as the compacted files and manifest
// that `compactYear` leaves after one-by-one ingest — tests/compaction/bench-generator.test.ts checks every
// view is identical — so it builds in about a minute instead of ~10 (110 k small files, then compaction).
//
//   npx tsx bench/generate.ts [--communes 3321] [--out bench/out/national-v1]
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  COMMUNES,
  type Commune,
  ORG_UNIT,
  PLAN,
  type Plan,
  reportDeadlineUtc,
  STAFFING_FIELD,
  type Submission,
  TABLES,
  type TableName,
} from '@scorecard/data-contracts';
import { FsObjectStore } from '@scorecard/functions/adapters/fs-store.ts';
import { toParquet } from '@scorecard/functions/codec/parquet.ts';
import {
  COMPACTED_TABLES,
  type CompactionManifest,
  MANIFEST_PREFIX,
  prefixOf,
} from '@scorecard/functions/compaction/compact.ts';
import { LEADER_POSITIONS } from '@scorecard/functions/demo/generate.ts';
import { IngestService } from '@scorecard/functions/ingest/ingest-service.ts';
import { personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import { type StoredVersion, tableRows } from '@scorecard/functions/ingest/stored.ts';
import type { Clock } from '@scorecard/functions/ports/clock.ts';
import type { ObjectStore } from '@scorecard/functions/ports/object-store.ts';
import { uuidv7 } from 'uuidv7';

/** Bump when the generated data changes: cached folders are keyed by it. */
export const GENERATOR_VERSION = 2;
export const NATIONAL_COMMUNES = 3321;
/** A fixed, bench-only person-key secret (never a real one): same data, same keys, every run. */
export const BENCH_SECRET = 'b'.repeat(64);
/** After the last plan year's deadline: every year has been reported. */
export const BENCH_NOW = '2030-12-31T00:00:00Z';

const DAY = 86_400_000;

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The province's 102 real communes, then synthetic ones (codes 60000…, clearly not real NSO codes of this province). */
export function nationalCommunes(n = NATIONAL_COMMUNES): Commune[] {
  const out: Commune[] = COMMUNES.slice(0, Math.min(n, COMMUNES.length));
  const used = new Set(out.map((c) => c.commune_code));
  let code = 60000;
  while (out.length < n) {
    const c = String(code++);
    if (used.has(c)) continue;
    const i = out.length;
    out.push({
      commune_code: c,
      name: `Xã Tổng hợp ${i + 1}`,
      type: i % 5 === 0 ? 'phuong' : 'xa',
      former_province: `Tỉnh Tổng hợp ${1 + (i % 34)}`,
      former_district: `Huyện Tổng hợp ${1 + (i % 700)}`,
    });
  }
  return out;
}

/** One planned arrival: which commune-year, when, and whether it is the correction. Cheap to hold 18 k of. */
export interface BenchEntry {
  ci: number;
  year: number;
  correction: boolean;
  receivedAt: Date;
  cadres: number;
}

/** Every commune × plan year (~40 cadres each), plus ~10 % corrections, in arrival order (submissions built lazily). */
export function benchPlan(
  communes: readonly Commune[],
  plan: Plan = PLAN,
  seed = 7,
  correctionRate = 0.1,
): BenchEntry[] {
  const out: BenchEntry[] = [];
  for (const year of plan.years) {
    const deadline = reportDeadlineUtc(plan, year).getTime();
    communes.forEach((_, ci) => {
      const r = rng(seed * 1_000_003 + year * 7919 + ci * 131 + 17);
      const late = r() < 0.08;
      const receivedAt = new Date(
        late ? deadline + Math.floor(r() * 6 * DAY) : deadline - Math.floor((3 + r() * 35) * DAY),
      );
      const cadres = 36 + Math.floor(r() * 9); // 36–44, mean 40
      out.push({ ci, year, correction: false, receivedAt, cadres });
      if (r() < correctionRate)
        out.push({
          ci,
          year,
          correction: true,
          receivedAt: new Date(receivedAt.getTime() + (2 + Math.floor(r() * 5)) * DAY),
          cadres,
        });
    });
  }
  return out.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.ci - b.ci);
}

/** The submission of one entry (deterministic: the same entry always gives the same submission). */
export function benchSubmission(
  communes: readonly Commune[],
  e: BenchEntry,
  plan: Plan = PLAN,
  seed = 7,
): Submission {
  const commune = communes[e.ci] as Commune;
  const year = e.year;
  const ci = e.ci;
  const size = e.cadres;
  const progress = (year - Math.min(...plan.years)) / Math.max(1, plan.years.length - 1);
  const r = rng(seed * 1_000_003 + year * 7919 + ci * 131);
  const quality = Math.min(0.995, 0.82 + 0.15 * progress + (r() - 0.5) * 0.12);
  const cadres: Submission['cadres'] = [];
  for (let i = 0; i < size; i++) {
    const isLeader = i < 10;
    const category = i < 3 ? 'can_bo' : i >= size - 2 ? 'hop_dong' : r() < 0.8 ? 'cong_chuc' : 'vien_chuc';
    const trainings = (['chuyen_sau', 'chuc_danh', 'quan_tri_hien_dai', 'chuyen_doi_so'] as const).filter(
      () => r() < quality + 0.02,
    );
    const base = 70 + Math.floor(r() * 25);
    cadres.push({
      cadre_code: `${commune.commune_code}-${String(i + 1).padStart(3, '0')}`,
      // Synthetic 12-digit IDs, prefix 999 (not a province code); hashed at ingest, never stored.
      national_id: `999${commune.commune_code.padStart(5, '0').slice(-5)}${String(i).padStart(4, '0')}`,
      category,
      position: isLeader
        ? (LEADER_POSITIONS[i] as string)
        : category === 'hop_dong'
          ? 'Nhân viên hợp đồng'
          : 'Chuyên viên',
      is_leader: isLeader,
      org_unit: ORG_UNIT.codes[i % ORG_UNIT.codes.length] as Submission['cadres'][number]['org_unit'],
      education: r() < 0.85 ? 'dai_hoc' : r() < 0.5 ? 'thac_si' : 'cao_dang',
      meets_competency_standard: r() < quality,
      edoc_proficient: r() < quality + 0.03,
      online_service_proficient: r() < quality + 0.03,
      record_digitized: r() < quality,
      trainings: [...trainings],
      evaluation: {
        rating: base > 88 ? 'xuat_sac' : base > 78 ? 'tot' : 'hoan_thanh',
        task_results: Math.min(100, base + Math.floor(r() * 6)),
        service_quality: Math.min(100, base + Math.floor(r() * 8) - 3),
        coordination: Math.min(100, base + Math.floor(r() * 6) - 2),
        integrity: Math.min(100, base + Math.floor(r() * 5) + 2),
      },
      birth_year: year - 25 - Math.floor(r() * 33),
      gender: r() < 0.45 ? 'nu' : 'nam',
    });
  }
  const citizens = 200 + Math.floor(r() * 300);
  const businesses = 20 + Math.floor(r() * 40);
  const satisfied = Math.min(0.97, 0.8 + 0.12 * progress + (r() - 0.5) * 0.1);
  const congChuc = cadres.filter((c) => c.category === 'cong_chuc').length;
  const fields = STAFFING_FIELD.codes.slice(0, 6 + Math.floor(r() * 6));
  const complaints = Math.floor(r() * 12);
  const submission: Submission = {
    schema_version: 1,
    commune_code: commune.commune_code,
    year,
    report: {
      digital_cadre_management: r() < 0.75 + 0.25 * progress,
      survey: {
        citizen_respondents: citizens,
        citizen_satisfied: Math.round(citizens * satisfied),
        business_respondents: businesses,
        business_satisfied: Math.round(businesses * (satisfied - 0.02)),
      },
      staffing: fields.map((field) => {
        const required = 1 + Math.floor(r() * 3);
        return { field, required, actual: r() < 0.9 + 0.08 * progress ? required : required - 1 };
      }),
      staff_quota: congChuc + (r() < 0.85 ? Math.floor(r() * 3) : 0),
      civil_servants: congChuc,
      dialogues_held: Math.floor(r() * 5),
      citizen_reception_days: 40 + Math.floor(r() * 12),
      complaints_received: complaints,
      complaints_resolved_on_time: Math.floor(complaints * (0.7 + r() * 0.3)),
      initiatives:
        r() < 0.35 + 0.3 * progress
          ? [{ title: 'Số hóa hồ sơ một cửa liên thông', replicated: r() < 0.6 }]
          : [],
    },
    cadres,
  };
  if (e.correction) {
    submission.report.digital_cadre_management = !submission.report.digital_cadre_management;
    const c = submission.cadres[12];
    if (c) c.record_digitized = true;
  }
  return submission;
}

/**
 * IngestService whose commit collects each version's table rows in memory instead of writing six small Parquet
 * files; `flushYear` then writes one compacted file per table and a compaction manifest (already swept: there
 * are no small files) — the layout compact.ts produces, which the read rule and CompactionIndex read as usual.
 * Everything before the commit (validation, person keys and their carry-over, duplicate check, the raw version
 * claim) is the real pipeline's.
 */
class BatchIngestService extends IngestService {
  private readonly pending = new Map<number, Map<TableName, Record<string, unknown>[]>>();
  private readonly committed = new Set<string>();
  constructor(
    private readonly batch: {
      store: ObjectStore;
      clock: Clock;
      personKey: (id: string) => string;
      communes: readonly Commune[];
    },
  ) {
    super(batch);
  }

  override async commit(v: StoredVersion): Promise<void> {
    const rows = tableRows(v, this.plan, this.batch.clock.now());
    let year = this.pending.get(v.year);
    if (!year) {
      year = new Map(COMPACTED_TABLES.map((t) => [t, []]));
      this.pending.set(v.year, year);
    }
    for (const t of COMPACTED_TABLES)
      for (const r of rows[t]) (year.get(t) as Record<string, unknown>[]).push(r);
    this.committed.add(v.submission_id);
  }

  override async isCommitted(v: StoredVersion): Promise<boolean> {
    return this.committed.has(v.submission_id) || super.isCommitted(v);
  }

  years(): number[] {
    return [...this.pending.keys()].sort();
  }

  /** Writes a year's compacted files (data first, markers last) and then its manifest. */
  async flushYear(year: number, at: Date): Promise<void> {
    const tables = this.pending.get(year);
    if (!tables) return;
    const runId = uuidv7();
    const manifest: CompactionManifest = {
      run_id: runId,
      year,
      written_at: at.toISOString(),
      swept_at: at.toISOString(),
      tables: {},
    };
    for (const t of COMPACTED_TABLES) {
      const rows = tables.get(t) ?? [];
      const out = `${prefixOf(t, year)}part-${runId}.parquet`;
      if (rows.length > 0) await this.batch.store.put(out, toParquet(TABLES[t], rows), { ifNoneMatch: true });
      // As compactYear records it: the submissions that have rows in this table.
      const covered = [...new Set(rows.map((r) => String(r.submission_id)))].sort();
      manifest.tables[t] = {
        outputs: rows.length > 0 ? [out] : [],
        inputs: [],
        submission_ids: covered,
        rows: rows.length,
      };
    }
    await this.batch.store.put(`${MANIFEST_PREFIX}year=${year}/${runId}.json`, JSON.stringify(manifest), {
      ifNoneMatch: true,
      contentType: 'application/json',
    });
    this.pending.delete(year);
  }
}

export interface IngestMeasure {
  variant: 'real' | 'batch';
  concurrency: number;
  /** Process CPU time (user + system): steadier than wall time on a shared machine. */
  cpu_ms: number;
  submissions_per_cpu_s: number;
  submissions: number;
  accepted: number;
  cadre_rows_ingested: number;
  ms: number;
  submissions_per_s: number;
  rows_per_s: number;
}

/** A clock per in-flight submission (AsyncLocalStorage), so concurrent ingests each see their own arrival time. */
class TaskClock implements Clock {
  private readonly als = new AsyncLocalStorage<Date>();
  constructor(private fallback: Date) {}
  now(): Date {
    return new Date(this.als.getStore() ?? this.fallback);
  }
  run<T>(at: Date, f: () => Promise<T>): Promise<T> {
    this.fallback = at;
    return this.als.run(at, f);
  }
}

/**
 * Ingests items through IngestService into dataDir, `concurrency` submissions in flight (never two of the same
 * commune-year, so versions keep their order); returns the single-process throughput.
 */
export async function ingestItems(
  dataDir: string,
  items: readonly BenchEntry[],
  communes: readonly Commune[],
  onProgress?: (done: number, total: number) => void,
  variant: 'real' | 'batch' = 'real',
  concurrency = 1,
): Promise<IngestMeasure> {
  const clock = new TaskClock(items[0]?.receivedAt ?? new Date(BENCH_NOW));
  const personKey = personKeyFromSecret(Buffer.from(BENCH_SECRET, 'hex'));
  const store = new FsObjectStore(dataDir);
  const batch = variant === 'batch' ? new BatchIngestService({ store, clock, personKey, communes }) : null;
  const svc = batch ?? new IngestService({ store, clock, personKey, communes });
  const cpu0 = process.cpuUsage();
  let accepted = 0;
  let rows = 0;
  let done = 0;
  const busy = new Map<string, Promise<void>>();
  const inFlight = new Set<Promise<void>>();
  const t0 = performance.now();
  for (const item of items) {
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    if (batch?.years().some((y) => y < item.year)) {
      await Promise.all(inFlight);
      for (const y of batch.years().filter((y) => y < item.year)) await batch.flushYear(y, item.receivedAt);
    }
    const key = `${item.ci}/${item.year}`;
    const before = busy.get(key);
    if (before) await before;
    const submission = benchSubmission(communes, item);
    const p: Promise<void> = clock
      .run(item.receivedAt, () =>
        svc.ingest(submission, { actor: { sub: 'bench', role: 'admin' }, submittedBy: 'bench' }),
      )
      .then((r) => {
        if (r.status !== 'accepted')
          throw new Error(`bench submission ${r.status}: ${JSON.stringify(r.errors.slice(0, 3))}`);
        accepted++;
        rows += submission.cadres.length;
        done++;
        if (onProgress && done % 1000 === 0) onProgress(done, items.length);
      })
      .finally(() => {
        inFlight.delete(p);
        if (busy.get(key) === p) busy.delete(key);
      });
    inFlight.add(p);
    busy.set(key, p);
  }
  await Promise.all(inFlight);
  for (const y of batch?.years() ?? []) await batch?.flushYear(y, new Date(BENCH_NOW));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    variant,
    concurrency,
    cpu_ms: cpuMs,
    submissions_per_cpu_s: (items.length / cpuMs) * 1000,
    submissions: items.length,
    accepted,
    cadre_rows_ingested: rows,
    ms,
    submissions_per_s: (items.length / ms) * 1000,
    rows_per_s: (rows / ms) * 1000,
  };
}

/** Cadre rows the views count: the latest version of each commune-year. */
function latestCadreRows(items: readonly BenchEntry[]): number {
  const latest = new Map<string, number>();
  for (const it of items) latest.set(`${it.ci}/${it.year}`, it.cadres);
  return [...latest.values()].reduce((a, b) => a + b, 0);
}

export interface Dataset {
  dir: string;
  communes: Commune[];
  items: BenchEntry[];
  cached: boolean;
  ingest: IngestMeasure;
  cadre_rows: number;
}

/**
 * A generated data folder under bench/out/<name>-v<GENERATOR_VERSION>-<n>/data, reused when complete (a DONE
 * file written last holds the measure of the run that made it). `batch`: committed in batches as compacted
 * files (the national folder); otherwise one by one through IngestService, small files (the province folder).
 */
export async function dataset(
  name: string,
  n: number,
  outRoot: string,
  log: (s: string) => void = () => undefined,
  variant: 'real' | 'batch' = 'batch',
): Promise<Dataset> {
  const base = resolve(outRoot, `${name}-v${GENERATOR_VERSION}-${n}`);
  const dir = join(base, 'data');
  const done = join(base, 'DONE.json');
  const communes = nationalCommunes(n);
  const items = benchPlan(communes);
  if (existsSync(done)) {
    const ingest = JSON.parse(readFileSync(done, 'utf8')) as IngestMeasure;
    return { dir, communes, items, cached: true, ingest, cadre_rows: latestCadreRows(items) };
  }
  rmSync(base, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`generating ${name}: ${communes.length} communes, ${items.length} submissions → ${dir}`);
  // The real pipeline's throughput (one file set per submission) is measured separately on a fresh sample.
  const t0 = performance.now();
  const ingest = await ingestItems(
    dir,
    items,
    communes,
    (d, t) => log(`  ${d}/${t} (${Math.round((d / (performance.now() - t0)) * 1000)}/s)`),
    variant,
    8,
  );
  writeFileSync(done, JSON.stringify(ingest, null, 2));
  return { dir, communes, items, cached: false, ingest, cadre_rows: latestCadreRows(items) };
}
if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const n = Number(args[args.indexOf('--communes') + 1] || NATIONAL_COMMUNES) || NATIONAL_COMMUNES;
  const d = await dataset('national', n, resolve(import.meta.dirname, 'out'), console.log);
  console.log(
    JSON.stringify({ dir: d.dir, cached: d.cached, cadre_rows: d.cadre_rows, ...d.ingest }, null, 2),
  );
}
