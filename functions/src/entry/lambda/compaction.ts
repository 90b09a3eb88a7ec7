import { compactionDepsFromEnv, createCompactionHandler } from './cloud-compaction.ts';
/** @public — the Lambda runtime calls it. */
export const handler = createCompactionHandler(compactionDepsFromEnv());
