import { createExportHandler, exportDepsFromEnv } from './cloud-export.ts';
/** @public — the Lambda runtime calls it. */
export const handler = createExportHandler(exportDepsFromEnv());
