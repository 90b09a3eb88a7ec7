// A Glue table over one Parquet prefix, partitioned by an integer `year` with partition projection: Athena
// computes the partitions from the range, so no crawler and no MSCK REPAIR after each ingest. Communes are a
// column, not a partition (tech-notes: enum projections should stay at a few dozen values).

import type { Column, ColumnType } from '@scorecard/data-contracts/parquet.ts';
import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';

/** Glue/Hive type for each Parquet column type of data-contracts. Exhaustive: a new ColumnType fails to compile here. */
export const GLUE_TYPE: Record<ColumnType, string> = {
  string: 'string',
  int: 'int',
  bigint: 'bigint',
  boolean: 'boolean',
  double: 'double',
  timestamp: 'timestamp',
};

function glueColumns(columns: readonly Column[]): glue.CfnTable.ColumnProperty[] {
  return columns.map((c) => ({ name: c.name, type: GLUE_TYPE[c.type] }));
}

export interface ParquetTableProps {
  databaseName: string;
  /** Name of the Glue table, as the SQL views refer to it. */
  tableName: string;
  bucketName: string;
  /** Key prefix without a trailing slash, e.g. `curated/cadres`. */
  prefix: string;
  columns: readonly Column[];
  /** Inclusive range of `year` partitions Athena projects. */
  years: { min: number; max: number };
  description?: string;
}

export class ParquetTable extends Construct {
  readonly table: glue.CfnTable;
  readonly tableName: string;
  readonly prefix: string;

  constructor(scope: Construct, id: string, props: ParquetTableProps) {
    super(scope, id);
    this.tableName = props.tableName;
    this.prefix = props.prefix;
    const location = `s3://${props.bucketName}/${props.prefix}/`;
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: Stack.of(this).account,
      databaseName: props.databaseName,
      tableInput: {
        name: props.tableName,
        description: props.description,
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'parquet',
          EXTERNAL: 'TRUE',
          'projection.enabled': 'true',
          'projection.year.type': 'integer',
          'projection.year.range': `${props.years.min},${props.years.max}`,
          'storage.location.template': `${location}year=\${year}/`,
        },
        partitionKeys: [{ name: 'year', type: GLUE_TYPE.int }],
        storageDescriptor: {
          location,
          columns: glueColumns(props.columns),
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        },
      },
    });
  }
}
