// The api-query function: the reads (KPIs, warnings, rankings, data quality, cadre gaps, communes), meeting packs, audit, and the public routes. API Gateway sends it only these routes; it mounts only
// these, so its bundle carries only what they import.
import { handle } from 'hono/aws-lambda';
import { queryRoutes } from '../../api/routes/query.ts';
import { createCloudApi } from './cloud-api.ts';

/** @public — the Lambda runtime calls it. */
export const handler = handle(await createCloudApi(process.env, {}, { routes: [queryRoutes] }));
