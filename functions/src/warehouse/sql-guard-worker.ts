// The worker side of the isolated SQL guard (sql-guard-isolated.ts): parses one analyst statement per message.
import { parentPort } from 'node:worker_threads';
import { serveInWorker } from '../isolation/worker-pool.ts';
import { type GuardResult, guardAnalystSql } from './sql-guard.ts';

export interface GuardJob {
  sql: string;
  allowed: readonly string[];
}
export interface GuardReply {
  verdict: GuardResult;
}

serveInWorker<GuardJob, GuardReply>(parentPort, (job) => ({
  verdict: guardAnalystSql(job.sql, job.allowed),
}));
