// The erasure function (cloud-erasure.ts): invoked by hand by an administrator, never by an event source.
import { createErasureHandler, erasureDepsFromEnv } from './cloud-erasure.ts';

/** @public — the Lambda runtime calls it. */
export const handler = createErasureHandler(erasureDepsFromEnv());
