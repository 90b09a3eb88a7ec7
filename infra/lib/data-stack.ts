// Data: everything whose lifecycle is the data's — buckets, the encryption key, the Glue catalog and its
// views, the Athena workgroups, the analysts' role, the person-key secret and the refresh queue that S3 feeds.
// Deleting or replacing a function never touches this stack; nothing here is deleted with the stack.

import { createHash } from 'node:crypto';
import { COMMUNES } from '@scorecard/data-contracts/communes.ts';
import { TABLE_PREFIX, TABLES, type TableName } from '@scorecard/data-contracts/parquet.ts';
import { PLAN } from '@scorecard/data-contracts/plan.ts';
import { SqlCatalogue } from '@scorecard/functions/warehouse/sql-catalogue.ts';
import {
  CfnOutput,
  CustomResource,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct, IConstruct } from 'constructs';
import { EnforcedWorkGroup } from '../constructs/enforced-workgroup.ts';
import { ParquetTable } from '../constructs/parquet-table.ts';
import { bucketArn, grantPrefixes } from '../constructs/prefix-grants.ts';
import { QueueWithDlq } from '../constructs/queue-with-dlq.ts';
import { ScorecardFunction } from '../constructs/scorecard-function.ts';
import { SecureBucket } from '../constructs/secure-bucket.ts';
import { baseViewStatements } from './athena-views.ts';
import {
  ANALYSTS_DATABASE,
  BUCKET_FOR_PREFIX,
  bucketName,
  GLUE_DATABASE,
  glueFilesTableName,
  glueTableName,
  PROJECTED_YEARS,
  REFERENCE_VIEWS,
  RESTRICTED_TABLES,
} from './store-layout.ts';
import { analystViews, restrictedViews } from './view-access.ts';

/** Raw submissions and the audit trail stay locked this long (governance mode: an admin with
 *  s3:BypassGovernanceRetention can still remove a mistaken object, nobody else can). */
const RAW_RETENTION_DAYS = 3653;

/** Per-query scan cutoffs. The whole national dataset (3,300 communes × 5 years) is tens of MB of Parquet,
 *  so these only stop runaway queries. */
const BYTES_SCANNED_CUTOFF = {
  refresh: 10 * 1024 ** 3,
  analysts: 1024 ** 3,
  exports: 10 * 1024 ** 3,
} as const;

export interface DataStackProps extends StackProps {
  /** Folder of the view files (sql/views). */
  viewsDir: string;
}

export class DataStack extends Stack {
  readonly dataKey: kms.Key;
  readonly alarmTopic: sns.Topic;
  readonly buckets: Record<
    'raw' | 'curated' | 'marts' | 'exports' | 'athenaResults' | 'accessLogs',
    s3.Bucket
  >;
  readonly database: glue.CfnDatabase;
  /** The analysts' database: their views as tables, written by the refresh (nothing else is granted to them). */
  readonly analystsDatabase: glue.CfnDatabase;
  /** The Glue tables over the Parquet prefixes (`<relation>_files`); the views read the base views over them. */
  readonly tables: Record<TableName, ParquetTable>;
  readonly workGroups: Record<'refresh' | 'analysts' | 'exports', EnforcedWorkGroup>;
  readonly viewNames: string[];
  /** The base relations (read rule over `<relation>_files`), e.g. curated_cadres. */
  readonly baseViewNames: string[];
  /** The view files' folder: the export function bundles the same files (as-of evaluation). */
  readonly viewsDir: string;
  /** Views that read, directly or through another view, a restricted table. */
  readonly restrictedViewNames: string[];
  /** The analysts' documented views: the view files that are neither restricted nor internal (`base_*`). */
  readonly analystViewNames: string[];
  readonly personKeySecret: secrets.Secret;
  readonly personKeyKey: kms.Key;
  readonly refreshQueue: QueueWithDlq;
  readonly analystsRole: iam.Role;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);

    this.dataKey = new kms.Key(this, 'DataKey', {
      alias: 'alias/commune-scorecard-data',
      description: 'Commune Scorecard: submissions, Parquet tables, marts, exports, query results',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    // Alarms publish here; subscribe the operators' e-mail after the first deploy.
    const alarmsKey = new kms.Key(this, 'AlarmsKey', {
      alias: 'alias/commune-scorecard-alarms',
      description: 'Commune Scorecard: alarm notifications',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    alarmsKey.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    this.alarmTopic = new sns.Topic(this, 'Alarms', {
      masterKey: alarmsKey,
      enforceSSL: true,
      displayName: 'Commune Scorecard alarms',
    });

    const accessLogs = new SecureBucket(this, 'AccessLogs', {
      bucketName: bucketName('access-logs'),
      // S3 server access logging delivers only to buckets with S3-managed keys.
      versioned: false,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(400) }],
    }).bucket;
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the server-access-log bucket of every other bucket; logging it into itself would loop.',
    });

    const raw = new SecureBucket(this, 'Raw', {
      bucketName: bucketName('raw'),
      encryptionKey: this.dataKey,
      accessLogs,
      objectLockGovernanceDays: RAW_RETENTION_DAYS,
      noncurrentVersionDays: RAW_RETENTION_DAYS,
    }).bucket;
    const curated = new SecureBucket(this, 'Curated', {
      bucketName: bucketName('curated'),
      encryptionKey: this.dataKey,
      accessLogs,
      lifecycleRules: [
        { id: 'expire-idempotency-keys', prefix: 'idempotency/', expiration: Duration.days(2) },
      ],
    }).bucket;
    const marts = new SecureBucket(this, 'Marts', {
      bucketName: bucketName('marts'),
      encryptionKey: this.dataKey,
      accessLogs,
      noncurrentVersionDays: 30,
    }).bucket;
    const exportsBucket = new SecureBucket(this, 'Exports', {
      bucketName: bucketName('exports'),
      encryptionKey: this.dataKey,
      accessLogs,
      // Answers too large for a Lambda response are handed over here through pre-signed URLs
      // (functions/src/entry/lambda/large-responses.ts): kept a day, fetched by the dashboard from its own origin.
      lifecycleRules: [
        {
          id: 'expire-handovers',
          prefix: 'exports/downloads/',
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
      cors: [{ allowedMethods: [s3.HttpMethods.GET], allowedOrigins: ['*'], maxAge: 3600 }],
    }).bucket;
    const athenaResults = new SecureBucket(this, 'AthenaResults', {
      bucketName: bucketName('athena-results'),
      encryptionKey: this.dataKey,
      accessLogs,
      versioned: false,
      lifecycleRules: [{ id: 'expire-query-results', expiration: Duration.days(30) }],
    }).bucket;
    this.buckets = { raw, curated, marts, exports: exportsBucket, athenaResults, accessLogs };

    // --- Glue catalog: one table per Parquet prefix, columns derived from data-contracts ---
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: this.account,
      databaseInput: {
        name: GLUE_DATABASE,
        description: "Commune Scorecard: Parquet tables and the analysts' views",
      },
    });
    this.analystsDatabase = new glue.CfnDatabase(this, 'AnalystsDatabase', {
      catalogId: this.account,
      databaseInput: {
        name: ANALYSTS_DATABASE,
        description:
          "Commune Scorecard: the analysts' views as tables, as of the last marts refresh (no per-person internal layer)",
      },
    });
    const tables = {} as Record<TableName, ParquetTable>;
    for (const t of Object.keys(TABLES) as TableName[]) {
      const prefix = TABLE_PREFIX[t];
      const top = prefix.split('/')[0] as keyof typeof BUCKET_FOR_PREFIX;
      const table = new ParquetTable(this, `Table-${t}`, {
        databaseName: GLUE_DATABASE,
        tableName: glueFilesTableName(t),
        bucketName: this.buckets[BUCKET_FOR_PREFIX[top] as 'curated'].bucketName,
        prefix,
        columns: TABLES[t],
        years: PROJECTED_YEARS,
        description: RESTRICTED_TABLES.includes(t) ? 'RESTRICTED: identifies people; API only' : undefined,
      });
      table.node.addDependency(this.database);
      tables[t] = table;
    }
    this.tables = tables;

    // --- Athena workgroups ---
    const wg = (name: 'refresh' | 'analysts' | 'exports', description: string) =>
      new EnforcedWorkGroup(this, `WorkGroup-${name}`, {
        name: `scorecard-${name}`,
        description,
        resultsBucket: athenaResults,
        resultsKey: this.dataKey,
        bytesScannedCutoffPerQuery: BYTES_SCANNED_CUTOFF[name],
      });
    this.workGroups = {
      refresh: wg('refresh', 'Marts refresh after each ingest, and the deploy-time view DDL'),
      analysts: wg('analysts', "Analysts' SQL over the documented views (no raw data, no staff codes)"),
      exports: wg('exports', 'Meeting packs (annual, review, final)'),
    };

    // --- The person-key secret: its own key, so whoever may decrypt the data cannot read it ---
    this.personKeyKey = new kms.Key(this, 'PersonKeyKey', {
      alias: 'alias/commune-scorecard-person-key',
      description: 'Commune Scorecard: the person-key HMAC secret',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    const personKeyKey = this.personKeyKey;
    this.personKeySecret = new secrets.Secret(this, 'PersonKeySecret', {
      // No fixed name: CloudFormation names it, so a first deploy that fails and rolls back can simply be run
      // again (a deleted secret's name stays taken for its recovery window). The functions get the ARN.
      description:
        'HMAC-SHA256 key of person_key (docs/contracts.md). Never beside the data; never rotated (see infra/README.md).',
      encryptionKey: personKeyKey,
      // 64 lowercase hex characters = 32 bytes, the same format as the local PERSON_KEY_FILE, so a local
      // installation can move to the cloud by copying its key (infra/README.md).
      generateSecretString: {
        passwordLength: 64,
        excludeUppercase: true,
        excludePunctuation: true,
        includeSpace: false,
        excludeCharacters: 'ghijklmnopqrstuvwxyz',
      },
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    new CfnOutput(this, 'PersonKeySecretArn', {
      value: this.personKeySecret.secretArn,
      description:
        "The person-key secret (put a local installation's key here before the first ingest: infra/README.md)",
    });
    Validations.of(this.personKeySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The person key must stay the same for the life of the data: person_key is HMAC(secret, CCCD) and finds the same person across years and communes; rotating it would split every person in two. Access is limited to the ingest function.',
    });

    // --- Refresh: a new commit marker, void or erasure record in curated/ → SQS (+ DLQ) → the marts refresh function ---
    this.refreshQueue = new QueueWithDlq(this, 'RefreshQueue', {
      // Six times the refresh function's 5-minute timeout.
      visibilityTimeout: Duration.minutes(30),
      alarmTopic: this.alarmTopic,
    });
    for (const t of ['submissions', 'voids'] as const) {
      curated.addEventNotification(
        s3.EventType.OBJECT_CREATED,
        new s3n.SqsDestination(this.refreshQueue.queue),
        {
          prefix: `${TABLE_PREFIX[t]}/`,
          suffix: '.parquet',
        },
      );
    }
    // An erasure record: the marts (cadre_gaps) must be refreshed so that no generation keeps the person.
    curated.addEventNotification(
      s3.EventType.OBJECT_CREATED,
      new s3n.SqsDestination(this.refreshQueue.queue),
      { prefix: 'erasures/', suffix: '.json' },
    );

    // --- Views: the same sql/views files DuckDB runs, created on Athena at deploy time ---
    this.viewsDir = props.viewsDir;
    const catalogue = SqlCatalogue.load(props.viewsDir);
    const files = catalogue.athenaStatements();
    const base = baseViewStatements();
    // The base relations first (the read rule over the Glue tables), then the files, in their numbered order.
    const statements = [...base, ...files];
    this.baseViewNames = base.map((s) => s.name);
    // The reference/plan views come first (created by the function from data-contracts), then these.
    this.viewNames = [...REFERENCE_VIEWS, ...statements.map((s) => s.name)];
    // restricted_cadre_identity (the base view over the restricted Glue table) and every view reading it.
    this.restrictedViewNames = restrictedViews(catalogue, RESTRICTED_TABLES.map(glueTableName));
    this.analystViewNames = analystViews(files, this.restrictedViewNames);
    const viewsFn = new ScorecardFunction(this, 'ViewsFunction', {
      name: 'athena-views',
      entry: 'functions/src/entry/lambda/athena-views.ts',
      description:
        'Deploy-time custom resource: runs CREATE OR REPLACE VIEW for every sql/views file on Athena',
      timeout: Duration.minutes(10),
      memorySize: 256,
      alarmTopic: this.alarmTopic,
    });
    this.grantAthenaQuery(viewsFn.role, this.workGroups.refresh);
    viewsFn.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ManageViews',
        actions: [
          'glue:GetDatabase',
          'glue:GetTable',
          'glue:GetTables',
          'glue:CreateTable',
          'glue:UpdateTable',
          'glue:DeleteTable',
        ],
        resources: [
          this.catalogArn(),
          this.databaseArn(),
          ...this.tableArns([...Object.values(tables).map((t) => t.tableName), ...this.viewNames]),
        ],
      }),
    );
    const views = new CustomResource(this, 'Views', {
      serviceToken: viewsFn.fn.functionArn,
      resourceType: 'Custom::AthenaViews',
      properties: {
        WorkGroup: this.workGroups.refresh.name,
        Database: GLUE_DATABASE,
        // The DDL itself: a changed view file changes this property and re-runs the DDL on deploy.
        Statements: statements.map((s) => ({ Name: s.name, Ddl: s.ddl })),
        // The reference rows come from data-contracts: a new plan file or commune list re-runs it too.
        Reference: createHash('sha256').update(JSON.stringify({ PLAN, COMMUNES })).digest('hex'),
      },
    });
    views.node.addDependency(...Object.values(tables).map((t) => t.table), this.workGroups.refresh.workGroup);

    // --- Analysts: the documented views on their own workgroup; neither raw data nor staff codes ---
    this.analystsRole = new iam.Role(this, 'AnalystsRole', {
      roleName: 'commune-scorecard-analyst',
      description:
        'Analysts: SQL over the documented views in the scorecard-analysts workgroup. No raw submissions, no staff codes.',
      // Whoever the account's administrators allow (IAM Identity Center permission set or an IAM policy) may assume it.
      assumedBy: new iam.AccountRootPrincipal(),
      maxSessionDuration: Duration.hours(8),
    });
    this.grantAnalystsRead(this.analystsRole);
    this.grantAthenaQuery(this.analystsRole, this.workGroups.analysts);
  }

  /** Read the person-key secret. Identity policy only (a key-policy grant would make this stack depend on the reader's). */
  grantPersonKeyRead(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [this.personKeySecret.secretArn],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [this.personKeyKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` } },
      }),
    );
  }

  catalogArn(): string {
    return this.formatArn({ service: 'glue', resource: 'catalog' });
  }
  databaseArn(): string {
    return this.formatArn({ service: 'glue', resource: 'database', resourceName: GLUE_DATABASE });
  }
  tableArns(names: readonly string[]): string[] {
    return names.map((n) =>
      this.formatArn({ service: 'glue', resource: 'table', resourceName: `${GLUE_DATABASE}/${n}` }),
    );
  }

  /**
   * Run queries in one workgroup and read/write its results prefix; with `discardResults`, delete them too (the
   * refresh and the export read each result file once and delete it: functions/src/adapters/s3-store.ts).
   */
  grantAthenaQuery(
    grantee: iam.IGrantable & IConstruct,
    workGroup: EnforcedWorkGroup,
    options: { discardResults?: boolean } = {},
  ): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'athena:StartQueryExecution',
          'athena:GetQueryExecution',
          'athena:GetQueryResults',
          'athena:StopQueryExecution',
          'athena:GetWorkGroup',
        ],
        resources: [
          this.formatArn({ service: 'athena', resource: 'workgroup', resourceName: workGroup.name }),
        ],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation'],
        resources: [bucketArn('athena-results')],
      }),
    );
    grantPrefixes({
      grantee,
      bucket: 'athena-results',
      prefixes: [workGroup.resultsPrefix],
      access: options.discardResults ? ['read', 'write', 'delete'] : ['read', 'write'],
      key: this.dataKey,
      why: options.discardResults
        ? `Athena writes this workgroup's query results there; the caller reads each once and deletes it.`
        : `Athena writes this workgroup's query results there and the caller pages them back.`,
    });
  }

  analystsDatabaseArn(): string {
    return this.formatArn({ service: 'glue', resource: 'database', resourceName: ANALYSTS_DATABASE });
  }
  /** The analysts' tables, one per documented view (the refresh creates them: functions/src/adapters/glue-catalog.ts). */
  analystsTableArns(): string[] {
    return this.analystViewNames.map((v) =>
      this.formatArn({ service: 'glue', resource: 'table', resourceName: `${ANALYSTS_DATABASE}/${v}` }),
    );
  }

  /**
   * Read the analysts' layer and nothing else (issue 15, item 11): the analysts' database and its Parquet under
   * analysts/ in the marts bucket. Not the views of the main database: Athena resolves a view as the caller, so
   * granting `cadres` would grant base_roster, the Parquet tables and their objects with it.
   */
  grantAnalystsRead(grantee: iam.IGrantable & IConstruct): void {
    const p = grantee.grantPrincipal;
    p.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AnalystCatalog',
        actions: [
          'glue:GetDatabase',
          'glue:GetTable',
          'glue:GetTables',
          'glue:GetPartition',
          'glue:GetPartitions',
        ],
        resources: [this.catalogArn(), this.analystsDatabaseArn(), ...this.analystsTableArns()],
      }),
    );
    grantPrefixes({
      grantee,
      bucket: 'marts',
      prefixes: ['analysts/'],
      access: ['read'],
      key: this.dataKey,
      why: "The analysts' layer: their views as Parquet, written by each refresh. Nothing of the curated or raw buckets.",
    });
    // Belt and braces: even a later, broader grant cannot open the data or the internal catalogue to this principal.
    p.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DenyRawAndCurated',
        effect: iam.Effect.DENY,
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [`${bucketArn('raw')}/*`, `${bucketArn('curated')}/*`],
      }),
    );
    p.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DenyInternalCatalog',
        effect: iam.Effect.DENY,
        actions: ['glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions'],
        resources: [
          this.formatArn({ service: 'glue', resource: 'table', resourceName: `${GLUE_DATABASE}/*` }),
        ],
      }),
    );
  }
}
