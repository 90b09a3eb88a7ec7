// Analysts' SQL in a child process of its own (the local server's choice: openWarehouse({ analysts: 'process' })).
//
// Why: DuckDB's memory_limit bounds what its buffer manager tracks (hash tables, sorts), not the vectors and
// string heaps a query allocates while it runs, and what a query frees stays with the allocator. Measured on the
// demo folder, six refused analyst queries in one process took its RSS from 377 MB to 1.6 GB, for good. In a
// child process the server can bound and take back all of it: the child reports its RSS every 50 ms while it
// works; past what it held once loaded + LIMITS.sqlProcessHeadroomMb the server stops it (SIGKILL: the OS takes
// back every byte) and the statement gets sql_out_of_memory; an idle child that kept more than the DuckDB
// headroom after its queries is replaced before the next one. A child that stops answering is stopped too.
//
// The child loads the analysts' database of the snapshot (and its as_of) each request names (the server verifies
// the folder first), so a reload of the server's warehouse moves the analysts' answers with it, as inline.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Commune, LIMITS, type Plan } from '@scorecard/data-contracts';
import type { QueryOptions, SqlResult } from '../ports/sql-engine.ts';
import { SqlError, type SqlErrorCode } from './sql-error.ts';

export type ToAnalystChild =
  | { type: 'init'; dataDir: string; sqlDir: string; plan: Plan; communes: readonly Commune[] }
  | { type: 'query'; id: number; asOf: string; snapshot: number; sql: string; options: QueryOptions }
  | { type: 'relations'; id: number; asOf: string; snapshot: number }
  /** Load a snapshot ahead of the next statement (a replacement child, after one was stopped). */
  | { type: 'warm'; asOf: string; snapshot: number };

/** The child's memory, on every message: what it holds now, and what it held once loaded (null while loading). */
interface ChildMemory {
  rss: number;
  loadedRss: number | null;
}

export type FromAnalystChild = ChildMemory &
  (
    | { type: 'heartbeat' }
    | { type: 'answer'; id: number; result: SqlResult & { truncated: boolean } }
    | { type: 'relations'; id: number; names: string[] }
    | {
        type: 'error';
        id: number;
        code: SqlErrorCode;
        detail: string;
        params: Record<string, string | number>;
      }
  );

export interface AnalystProcessOptions {
  dataDir: string;
  sqlDir: string;
  plan: Plan;
  communes: readonly Commune[];
  /** Memory beyond the loaded database before the child is stopped (default LIMITS.sqlProcessHeadroomMb). */
  headroomMb?: number;
  /** Silence while working after which the child is stopped (default 15 s). */
  silenceMs?: number;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

const ENTRY = fileURLToPath(new URL('./analyst-child-entry.mjs', import.meta.url));
const MB = 1024 * 1024;
/** Time beyond a statement's own limit before the server stops a child that has not answered (loading counts). */
const BACKSTOP_MS = 60_000;

export class AnalystProcess {
  private child: ChildProcess | null = null;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private lastHeard = 0;
  private watch: NodeJS.Timeout | null = null;
  private closed = false;
  /** The snapshot the last request named: what a replacement child loads ahead of the next statement. */
  private lastAt: { asOf: string; snapshot: number } | null = null;
  /** How many children were stopped for memory, silence or a crash (for tests and the log). */
  restarts = 0;

  constructor(private readonly o: AnalystProcessOptions) {}

  /** The analysts' database of the server's snapshot number `snapshot` (at `asOf`), as the child holds it. */
  at(asOf: Date, snapshot: number) {
    const at = { asOf: asOf.toISOString(), snapshot };
    return {
      query: (sql: string, options: QueryOptions = {}) =>
        this.request<SqlResult & { truncated: boolean }>(
          { type: 'query', ...at, sql, options },
          options.timeoutMs ?? LIMITS.sqlTimeoutMs,
        ),
      relations: () => this.request<string[]>({ type: 'relations', ...at }, 0),
    };
  }

  /** The child's process id while one runs (for tests that measure it). */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stop('closed');
  }

  private request<T>(
    message:
      | { type: 'query'; asOf: string; snapshot: number; sql: string; options: QueryOptions }
      | { type: 'relations'; asOf: string; snapshot: number },
    timeoutMs: number,
  ): Promise<T> {
    if (this.closed) return Promise.reject(new SqlError('sql_failed', 'the warehouse is closed'));
    this.lastAt = { asOf: message.asOf, snapshot: message.snapshot };
    const child = this.ensureChild();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        // The child did not answer within the statement's limit and the backstop: it is stuck; stop it.
        const p = this.pending.get(id);
        if (!p) return;
        this.pending.delete(id);
        p.reject(
          new SqlError('sql_timeout', `${timeoutMs} ms`, { seconds: Math.round(timeoutMs / 100) / 10 }),
        );
        if (this.child === child) this.stop('silent');
      }, timeoutMs + BACKSTOP_MS);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      if (this.pending.size === 1) this.lastHeard = Date.now();
      try {
        child.send({ ...message, id } satisfies ToAnalystChild, (e) => {
          if (e && this.child === child) this.stop('exited');
        });
      } catch {
        // The channel closed between starting the child and this request: it has gone.
        if (this.child === child) this.stop('exited');
      }
    });
  }

  private ensureChild(): ChildProcess {
    if (this.child) return this.child;
    const child = fork(ENTRY, [], {
      execArgv: [`--max-old-space-size=${LIMITS.sqlMemoryHeadroomMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.child = child;
    child.on('message', (m: FromAnalystChild) => this.onMessage(child, m));
    child.on('exit', () => {
      if (this.child === child) this.stop('exited');
    });
    // A child that cannot be started or written to is an 'error' event: unhandled, it would stop the server.
    child.on('error', () => {
      if (this.child === child) this.stop('exited');
    });
    child.send({
      type: 'init',
      dataDir: this.o.dataDir,
      sqlDir: this.o.sqlDir,
      plan: this.o.plan,
      communes: this.o.communes,
    } satisfies ToAnalystChild);
    this.watch = setInterval(() => {
      if (this.pending.size > 0 && Date.now() - this.lastHeard > (this.o.silenceMs ?? 15_000))
        this.stop('silent');
    }, 1_000);
    this.watch.unref();
    return child;
  }

  private onMessage(child: ChildProcess, m: FromAnalystChild): void {
    if (child !== this.child) return;
    this.lastHeard = Date.now();
    // Past what it held once loaded + the headroom, the child is stopped, whatever it is doing.
    const over = (headroomMb: number) => m.loadedRss !== null && m.rss > m.loadedRss + headroomMb * MB;
    const limit = this.o.headroomMb ?? LIMITS.sqlProcessHeadroomMb;
    if (m.type === 'heartbeat') {
      if (over(limit)) this.stop('memory');
      return;
    }
    // An answer is delivered first: a statement that finished is not failed for what others hold.
    const p = this.pending.get(m.id);
    if (p) {
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.type === 'answer') p.resolve(m.result);
      else if (m.type === 'relations') p.resolve(m.names);
      else p.reject(new SqlError(m.code, m.detail, m.params));
    }
    if (over(limit) && this.pending.size > 0) this.stop('memory');
    // An idle child that kept more than a query's headroom (DuckDB's) is replaced before the next statement.
    else if (this.pending.size === 0 && over(LIMITS.sqlMemoryHeadroomMb)) this.stop('replaced');
  }

  /**
   * Stops the child (the OS takes back all it held) and answers what it had in hand: after a memory stop, a
   * lone statement was the one that needed it (sql_out_of_memory); with several, none can be blamed.
   */
  private stop(reason: 'memory' | 'silent' | 'exited' | 'replaced' | 'closed'): void {
    const child = this.child;
    this.child = null;
    if (this.watch) clearInterval(this.watch);
    this.watch = null;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    const pending = [...this.pending.values()];
    this.pending.clear();
    if (reason === 'memory' || reason === 'silent' || reason === 'exited') this.restarts++;
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(
        reason === 'memory' && pending.length === 1
          ? new SqlError('sql_out_of_memory', 'the analysts’ process went over its memory')
          : new SqlError('sql_engine_restarted', `the analysts’ process stopped (${reason})`),
      );
    }
    // Stopped for memory or replaced when idle, the analyst is likely to send the next statement soon: a fresh
    // child loads the snapshot meanwhile. Never after a crash or silence (no loop of children that cannot start).
    if ((reason === 'memory' || reason === 'replaced') && !this.closed && this.lastAt) {
      const at = this.lastAt;
      try {
        this.ensureChild().send({ type: 'warm', ...at } satisfies ToAnalystChild, () => undefined);
      } catch {
        // A child that cannot start now is started again by the next statement.
      }
    }
  }
}
