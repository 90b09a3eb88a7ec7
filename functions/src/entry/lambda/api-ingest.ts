// The api-ingest function: submissions (POST, history, void) and the Excel template. API Gateway sends it only these routes; it mounts only
// these, so its bundle carries only what they import.
import { handle } from 'hono/aws-lambda';
import { ingestRoutes } from '../../api/routes/ingest.ts';
import { createCloudApi } from './cloud-api.ts';

/** @public — the Lambda runtime calls it. */
export const handler = handle(await createCloudApi(process.env, {}, { routes: [ingestRoutes] }));
