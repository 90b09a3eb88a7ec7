// Work that untrusted input can make expensive (reading a workbook, parsing an analyst's SQL) runs in worker
// threads with a time and a heap cap, so one bad request costs that request, never the process or its event
// loop. A small pool: at most `maxParallel` jobs at once (each worker may use `maxHeapMb`); others wait in a
// bounded queue, beyond which the caller is told `busy`. A worker that runs out of time or heap is terminated
// and replaced; an idle one is kept warm and unref'd (it never holds the process open).
//
// The worker module answers each `{ id, ...job }` message with `{ id, ...reply }`. From source its entry is a
// small .mjs beside it that registers tsx; a bundled deployment ships the compiled worker under that name.
import { Worker } from 'node:worker_threads';

export interface WorkerLimits {
  /** Wall time a worker may spend on one job. */
  timeoutMs: number;
  /** Old-generation heap a worker may use. */
  maxHeapMb: number;
  /** Jobs running at once. */
  maxParallel: number;
  /** Jobs waiting for a worker before the pool answers "busy". */
  maxQueued: number;
}

export type PoolFailure = 'too_costly' | 'busy';

export class WorkerPool<Job extends object, Reply extends object> {
  private idle: Worker[] = [];
  private running = 0;
  private queue: (() => void)[] = [];
  private nextId = 1;

  constructor(
    private readonly entry: URL,
    readonly limits: Readonly<WorkerLimits>,
  ) {}

  async run(job: Job, transfer: ArrayBuffer[] = []): Promise<Reply | PoolFailure> {
    if (this.running >= this.limits.maxParallel) {
      if (this.queue.length >= this.limits.maxQueued) return 'busy';
      await new Promise<void>((resolve) => this.queue.push(resolve));
    }
    this.running++;
    try {
      return await this.once(job, transfer);
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }

  private spawn(): Worker {
    return new Worker(this.entry, {
      resourceLimits: { maxOldGenerationSizeMb: this.limits.maxHeapMb, maxYoungGenerationSizeMb: 32 },
      stdout: false,
      stderr: false,
    });
  }

  private once(job: Job, transfer: ArrayBuffer[]): Promise<Reply | PoolFailure> {
    const worker = this.idle.pop() ?? this.spawn();
    worker.ref();
    const id = this.nextId++;
    return new Promise<Reply | PoolFailure>((resolve) => {
      let settled = false;
      const finish = (r: Reply | PoolFailure, keep: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onFail);
        worker.off('exit', onFail);
        if (keep && this.idle.length === 0) {
          worker.unref();
          this.idle.push(worker);
        } else void worker.terminate();
        resolve(r);
      };
      const onMessage = (m: Reply & { id: number; failed?: boolean }) => {
        if (m.id !== id) return;
        finish(m.failed ? 'too_costly' : m, !m.failed);
      };
      // ERR_WORKER_OUT_OF_MEMORY, a crash, or an exit: the job cost too much.
      const onFail = () => finish('too_costly', false);
      const timer = setTimeout(() => finish('too_costly', false), this.limits.timeoutMs);
      worker.on('message', onMessage);
      worker.once('error', onFail);
      worker.once('exit', onFail);
      worker.postMessage({ ...job, id }, transfer);
    });
  }
}

/** Serves one handler in a worker thread: `{ id, ...job }` in, `{ id, ...reply }` (or `{ id, failed }`) out. */
export function serveInWorker<Job, Reply extends object>(
  port: import('node:worker_threads').MessagePort | null,
  handle: (job: Job) => Promise<Reply> | Reply,
): void {
  if (!port) return;
  port.on('message', async (message: Job & { id: number }) => {
    try {
      port.postMessage({ ...(await handle(message)), id: message.id });
    } catch {
      port.postMessage({ id: message.id, failed: true });
    }
  });
}
