// The worker side of isolated.ts: reads one workbook per message, in a thread the main event loop does not wait
// on, under the heap cap the pool gave it. Replies with plain data (ParsedWorkbook).
import { parentPort } from 'node:worker_threads';
import { serveInWorker } from '../isolation/worker-pool.ts';
import { type ParsedWorkbook, parseWorkbook } from './parse.ts';

export interface WorkbookJob {
  bytes: Uint8Array;
}
export interface WorkbookReply {
  parsed: ParsedWorkbook;
}

serveInWorker<WorkbookJob, WorkbookReply>(parentPort, async (job) => ({
  parsed: await parseWorkbook(job.bytes),
}));
