// The worker side of isolated.ts: reads one workbook per message, in a thread the main event loop does not wait
// on, under the heap cap the pool gave it. Replies with plain data (ParsedWorkbook).
import { parentPort } from 'node:worker_threads';
import { parseWorkbook } from './parse.ts';

export interface WorkbookJob {
  id: number;
  bytes: Uint8Array;
}
export type WorkbookReply = { id: number; ok: true; parsed: Awaited<ReturnType<typeof parseWorkbook>> } | { id: number; ok: false };

const port = parentPort;
if (port) {
  port.on('message', async (job: WorkbookJob) => {
    let reply: WorkbookReply;
    try {
      reply = { id: job.id, ok: true, parsed: await parseWorkbook(job.bytes) };
    } catch {
      reply = { id: job.id, ok: false };
    }
    port.postMessage(reply);
  });
}
