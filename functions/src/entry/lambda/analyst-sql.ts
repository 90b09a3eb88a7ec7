// The analysts' SQL in the cloud: Athena in the stack's work group, behind the SQL guard with the stack's
// allow-list of views (ANALYST_VIEWS — the views the stack grants, not read from the DuckDB warehouse module;
// a test checks both lists are the same). Only the SQL function imports this, so only it carries the parser.

import { LIMITS } from '@scorecard/data-contracts';
import { AthenaEngine } from '../../adapters/athena-engine.ts';
import type { SqlDeps } from '../../api/admin.ts';
import { guardAnalystSql } from '../../warehouse/sql-guard.ts';
import { required } from './cloud-api.ts';

export function analystSqlFromEnv(env: NodeJS.ProcessEnv): Omit<SqlDeps, 'audit'> | undefined {
  const workGroup = env.ATHENA_WORKGROUP;
  if (!workGroup) return undefined;
  const analystViews = JSON.parse(required(env, 'ANALYST_VIEWS')) as string[];
  const database = env.ATHENA_DATABASE ?? 'commune_scorecard';
  return {
    analystEngine: () => new AthenaEngine({ workGroup, database }),
    guard: (sql: string) => guardAnalystSql(sql, analystViews),
    // Athena queues before it runs: its own deadline, inside the HTTP API's 30 s (issue 15, item 9).
    timeoutMs: LIMITS.sqlTimeoutMsAthena,
  };
}
