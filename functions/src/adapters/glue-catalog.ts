// The analysts' catalogue on Glue (marts/analysts-layer.ts): one EXTERNAL_TABLE per analysts' view in the
// analysts' own database, its columns the view's (Hive types), its location the generation just written.
// UpdateTable switches a table to the new generation atomically; the first refresh creates it (GetTable answers
// EntityNotFoundException). The tables carry no partitions: a generation is one Parquet file per view.
import {
  CreateTableCommand,
  EntityNotFoundException,
  GetTableCommand,
  GlueClient,
  type TableInput,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { type AnalystsCatalog, GLUE_COLUMN_TYPE } from '../marts/analysts-layer.ts';
import type { SqlColumn } from '../ports/sql-engine.ts';

export class GlueAnalystsCatalog implements AnalystsCatalog {
  constructor(
    private readonly o: {
      database: string;
      /** The s3:// URL of a store key (the layer's folder), as the store routes it to its bucket. */
      locationOf: (key: string) => string;
      glue?: GlueClient;
    },
  ) {}

  private get glue(): GlueClient {
    this.client ??= this.o.glue ?? new GlueClient({});
    return this.client;
  }
  private client: GlueClient | undefined;

  async publish(view: string, columns: readonly SqlColumn[], folderKey: string): Promise<void> {
    const input: TableInput = {
      Name: view,
      Description: `Analysts' view ${view}, as of the last marts refresh (written by the refresh function)`,
      TableType: 'EXTERNAL_TABLE',
      Parameters: { classification: 'parquet', EXTERNAL: 'TRUE' },
      StorageDescriptor: {
        Columns: columns.map((c) => {
          const type = GLUE_COLUMN_TYPE[c.type];
          if (!type) throw new Error(`analysts' catalogue: no Glue type for ${c.name} ${c.type}`);
          return { Name: c.name, Type: type };
        }),
        Location: this.o.locationOf(folderKey),
        InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
      },
    };
    const exists = await this.glue
      .send(new GetTableCommand({ DatabaseName: this.o.database, Name: view }))
      .then(
        () => true,
        (e: unknown) => {
          if (
            e instanceof EntityNotFoundException ||
            (e as { name?: string }).name === 'EntityNotFoundException'
          )
            return false;
          throw e;
        },
      );
    await this.glue.send(
      exists
        ? new UpdateTableCommand({ DatabaseName: this.o.database, TableInput: input })
        : new CreateTableCommand({ DatabaseName: this.o.database, TableInput: input }),
    );
  }
}
