import { createExportHandler, exportDepsFromEnv } from './cloud-export.ts';
export const handler = createExportHandler(exportDepsFromEnv());
