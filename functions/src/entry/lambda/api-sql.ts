// The api-sql function: the analysts' SQL. API Gateway sends it only these routes; it mounts only
// these, so its bundle carries only what they import.
import { handle } from 'hono/aws-lambda';
import { sqlRoutes } from '../../api/routes/sql.ts';
import { analystSqlFromEnv } from './analyst-sql.ts';
import { createCloudApi } from './cloud-api.ts';

/** @public — the Lambda runtime calls it. */
export const handler = handle(
  await createCloudApi(process.env, {}, { routes: [sqlRoutes], sql: analystSqlFromEnv }),
);
