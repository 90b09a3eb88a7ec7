// How the store's key layout (docs/TEAM-NOTES.md, the same on S3 as on a local folder) maps onto buckets, and
// how the Parquet prefixes appear in the Glue catalog. Keys keep their full path inside their bucket, so a
// key means the same thing in both runtimes: `curated/cadres/year=2026/x.parquet` lives at that key in the
// curated bucket.

import { TABLE_PREFIX, TABLES, type TableName } from '@scorecard/data-contracts/parquet.ts';
import { PLAN } from '@scorecard/data-contracts/plan.ts';
import { Aws } from 'aws-cdk-lib';

export type BucketRole = 'raw' | 'curated' | 'marts' | 'exports';

/** Top-level key prefix → bucket. The S3 adapter receives this map as STORE_BUCKETS. */
export const BUCKET_FOR_PREFIX = {
  // Immutable: the version claims and the audit trail sit under Object Lock.
  raw: 'raw',
  audit: 'raw',
  curated: 'curated',
  // Staff codes and positions: its own prefix, granted to the API and the marts refresh only.
  restricted: 'curated',
  // HTTP Idempotency-Key records, expired by a lifecycle rule after their 24 h window.
  idempotency: 'curated',
  // Compaction's coverage manifests and leases (functions/src/compaction): beside the tables they describe.
  compaction: 'curated',
  marts: 'marts',
  // The analysts' layer: their views as Parquet, written by the refresh (functions/src/marts/analysts-layer.ts).
  analysts: 'marts',
  exports: 'exports',
} as const satisfies Record<string, BucketRole>;

/**
 * The relation the views read for a Parquet table: its prefix with `/` → `_` (curated/cadres →
 * curated_cadres). On Athena it is a VIEW applying compaction's read rule (each submission's rows from exactly
 * one file: sql/tables/athena/base_relation.sql) over the Glue table `<relation>_files`.
 */
export function glueTableName(table: TableName): string {
  return TABLE_PREFIX[table].replace(/\//g, '_');
}

/** The Glue table over a Parquet prefix (every file, small and compacted): `<relation>_files`. */
export function glueFilesTableName(table: TableName): string {
  return `${glueTableName(table)}_files`;
}

/** Tables that identify people: never granted to analysts. Derived from the prefix, not listed by hand. */
export const RESTRICTED_TABLES = (Object.keys(TABLES) as TableName[]).filter((t) =>
  TABLE_PREFIX[t].startsWith('restricted/'),
);

/** The `year` partitions Athena projects: the plan's years. */
export const PROJECTED_YEARS = { min: Math.min(...PLAN.years), max: Math.max(...PLAN.years) };

/** The Glue database of the tables and views. */
export const GLUE_DATABASE = 'commune_scorecard';

/** The analysts' Glue database: one table per analysts' view, written by each refresh; all analysts may read. */
export const ANALYSTS_DATABASE = 'commune_scorecard_analysts';

/** Every bucket of the product. */
export type ScorecardBucket = BucketRole | 'athena-results' | 'access-logs' | 'dashboard' | 'cdn-logs';

/**
 * Bucket names are fixed by account and region rather than generated: each stack computes them itself, so a
 * grant in the API stack names `…-raw-<account>-<region>/raw/*` without importing the data stack's outputs,
 * and every reviewer (and cdk-nag) reads the same ARN in the template.
 */
export function bucketName(bucket: ScorecardBucket): string {
  return `commune-scorecard-${bucket}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

/** How cdk-nag prints that bucket's ARN in a finding. */
export function nagBucketArn(bucket: ScorecardBucket): string {
  return `arn:<AWS::Partition>:s3:::commune-scorecard-${bucket}-<AWS::AccountId>-<AWS::Region>`;
}

/**
 * The reference and plan relations the views read (params, ref_communes, plan_*). On Athena the deploy-time
 * custom resource creates them as views over VALUES from the same rows DuckDB loads (functions/src/entry/lambda/
 * athena-reference-views.ts); a test checks this list against the warehouse's.
 */
export const REFERENCE_VIEWS = [
  'params',
  'ref_communes',
  'plan_years',
  'plan_kpis',
  'plan_kpi_targets',
  'plan_policy',
  'plan_soft_rules',
  'plan_report_deadlines',
  'plan_late_days',
] as const;
