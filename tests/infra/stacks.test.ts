// Synth tests: each promise of the deployment asserted on the synthesized templates with Template.fromStack and
// Match.objectLike — never hashed logical ids, never whole-template snapshots. One app is synthesized for the
// whole file (it bundles every Lambda with the local esbuild; its cost: bench/README.md, "Measured once").
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { COMMUNES, LIMITS } from '@scorecard/data-contracts';
import { TABLE_PREFIX, TABLES, type TableName } from '@scorecard/data-contracts/parquet.ts';
import { exportSchedule, PLAN } from '@scorecard/data-contracts/plan.ts';
import { AWS_CONNECT_SOURCES, dashboardCsp } from '@scorecard/functions/api/security-headers.ts';
import { createMeetingPack } from '@scorecard/functions/entry/local/packs.ts';
import { buildTemplate } from '@scorecard/functions/excel/index.ts';
import { IngestService } from '@scorecard/functions/ingest/ingest-service.ts';
import { personKeyFromSecret } from '@scorecard/functions/ingest/person-key.ts';
import { ManualClock } from '@scorecard/functions/ports/clock.ts';
import { openWarehouse } from '@scorecard/functions/warehouse/duckdb-warehouse.ts';
import { athenaViewStatements } from '@scorecard/functions/warehouse/sql-catalogue.ts';
import { GLUE_TYPE } from '@scorecard/infra/constructs/parquet-table.ts';
import { PUBLIC_ROUTES, USER_GROUPS } from '@scorecard/infra/lib/api-stack.ts';
import { buildApp, type ScorecardApp } from '@scorecard/infra/lib/app.ts';
import { baseViewStatements } from '@scorecard/infra/lib/athena-views.ts';
import { COMPACTION_RUNS, upcomingExports } from '@scorecard/infra/lib/schedules-stack.ts';
import { glueFilesTableName, glueTableName } from '@scorecard/infra/lib/store-layout.ts';
import { DASHBOARD_ROUTING_CODE } from '@scorecard/infra/lib/web-stack.ts';
import { App, Stack, Token, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { validSubmission } from '../helpers/fixtures.ts';
import { buildFixture, NOW as FIXTURE_NOW } from '../sql/fixture.ts';
import { startAthenaStandIn } from './athena-stand-in.ts';
import { startGlueStandIn } from './glue-stand-in.ts';
import { startSecretsStandIn, startUserPoolKeys } from './key-stand-ins.ts';
import { startS3StandIn } from './s3-stand-in-process.ts';
import {
  allowed,
  bucketArnText,
  denied,
  render,
  roleOfFunction,
  type Statement,
  statementsByRole,
} from './template-helpers.ts';
import { everyVersion, hits } from './version-scan.ts';

const VIEWS_DIR = join(import.meta.dirname, 'fixtures', 'views');
// Before every due instant of the plan, so every meeting pack is scheduled.
const NOW = new Date('2026-06-01T00:00:00Z');

let s: ScorecardApp;
let data: Template;
let api: Template;
let web: Template;
let schedules: Template;
let synthError: unknown;
let outdir = '';

beforeAll(() => {
  process.env.CDK_DISABLE_CLI_TELEMETRY = 'true';
  const webDist = mkdtempSync(join(tmpdir(), 'scorecard-web-'));
  writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>Bảng điều khiển</title>');
  outdir = mkdtempSync(join(tmpdir(), 'scorecard-cdk-'));
  s = buildApp({ now: NOW, viewsDir: VIEWS_DIR, webDist, outdir });
  try {
    // Runs the cdk-nag AwsSolutions pack: any unacknowledged finding fails synthesis with "ValidationFailed".
    s.app.synth();
  } catch (e) {
    synthError = e;
  }
  data = Template.fromStack(s.data);
  api = Template.fromStack(s.api);
  web = Template.fromStack(s.web);
  schedules = Template.fromStack(s.schedules);
}, 600_000);

const execFileAsync = promisify(execFile);
const fn = (name: string) => `commune-scorecard-${name}`;
const rolesOf = (t: Template) => statementsByRole(t);
const stmts = (t: Template, functionName: string): Statement[] =>
  rolesOf(t).get(roleOfFunction(t, functionName)) ?? [];
const S3_WRITE = ['s3:PutObject'];
const S3_READ = ['s3:GetObject'];

describe('cdk-nag (AwsSolutions)', () => {
  it('synthesizes with zero unacknowledged findings', () => {
    expect(synthError).toBeUndefined();
  });

  it('every acknowledgement carries a written reason', () => {
    const acks: { path: string; id: string; reason: string }[] = [];
    const walk = (c: import('constructs').IConstruct) => {
      for (const m of c.node.metadata) {
        if (m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
          for (const [id, reason] of Object.entries(m.data as Record<string, string>))
            acks.push({ path: c.node.path, id, reason });
        }
      }
      c.node.children.forEach(walk);
    };
    walk(s.app);
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) {
      expect(a.id).toMatch(/AwsSolutions-/);
      // A reason, not a placeholder: at least a sentence.
      expect(a.reason.length, `${a.path} ${a.id}`).toBeGreaterThan(40);
    }
  });

  it('is really switched on: an insecure bucket fails synthesis', () => {
    const app = new App();
    const stack = new Stack(app, 'Insecure');
    new s3.Bucket(stack, 'Open');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
  });

  it('is env-agnostic: no account or region is baked in, so synth needs no credentials', () => {
    for (const st of [s.data, s.api, s.web, s.schedules]) {
      expect(Token.isUnresolved(st.account)).toBe(true);
      expect(Token.isUnresolved(st.region)).toBe(true);
    }
  });
});

describe('S3 buckets', () => {
  const allBuckets = () => ({
    ...data.findResources('AWS::S3::Bucket'),
    ...web.findResources('AWS::S3::Bucket'),
  });

  it('every bucket is encrypted, public access blocked and owner-enforced or log-delivery only', () => {
    const buckets = allBuckets();
    expect(Object.keys(buckets).length).toBeGreaterThanOrEqual(8);
    for (const b of Object.values(buckets) as { Properties: Record<string, unknown> }[]) {
      expect(b.Properties).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: expect.stringMatching(/aws:kms|AES256/) } },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
    }
  });

  it('the data buckets use the customer-managed data key with bucket keys', () => {
    for (const name of ['raw', 'curated', 'marts', 'exports', 'athena-results']) {
      data.hasResourceProperties(
        'AWS::S3::Bucket',
        Match.objectLike({
          BucketName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`commune-scorecard-${name}-`])] }),
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              Match.objectLike({
                BucketKeyEnabled: true,
                ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }),
              }),
            ],
          },
        }),
      );
    }
  });

  it('every bucket refuses plain HTTP and TLS below 1.2', () => {
    for (const t of [data, web]) {
      const buckets = Object.keys(t.findResources('AWS::S3::Bucket'));
      const policies = Object.values(t.findResources('AWS::S3::BucketPolicy')) as {
        Properties: { Bucket: unknown; PolicyDocument: { Statement: Record<string, unknown>[] } };
      }[];
      for (const b of buckets) {
        const policy = policies.find((p) => render(p.Properties.Bucket) === `<${b}>`);
        expect(policy, b).toBeDefined();
        expect(policy?.Properties.PolicyDocument.Statement).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            expect.objectContaining({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
            }),
          ]),
        );
      }
    }
  });

  it('raw is versioned with Object Lock in governance mode; curated, marts and exports are versioned', () => {
    data.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['commune-scorecard-raw-'])] }),
      VersioningConfiguration: { Status: 'Enabled' },
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: Match.anyValue() } },
      },
    });
    for (const name of ['curated', 'marts', 'exports']) {
      data.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`commune-scorecard-${name}-`])] }),
        VersioningConfiguration: { Status: 'Enabled' },
      });
    }
  });

  it('answers too large for Lambda are handed over in the exports bucket: kept one day, readable by GET with the signed URL', () => {
    data.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: Match.objectLike({
        'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('exports')])]),
      }),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'exports/downloads/', ExpirationInDays: 1, Status: 'Enabled' }),
        ]),
      },
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedMethods: ['GET'] })] },
    });
  });

  it('every bucket but the access-log bucket writes server access logs to it', () => {
    const buckets = allBuckets() as Record<
      string,
      { Properties: { BucketName?: unknown; LoggingConfiguration?: unknown } }
    >;
    const withoutLogs = Object.values(buckets)
      .filter((b) => !b.Properties.LoggingConfiguration)
      .map((b) => render(b.Properties.BucketName));
    expect(withoutLogs).toEqual([bucketArnText('access-logs').replace('arn:<AWS::Partition>:s3:::', '')]);
  });
});

describe('Glue catalog', () => {
  it('has one table per Parquet prefix (<relation>_files), columns derived from data-contracts, integer year projection', () => {
    for (const t of Object.keys(TABLES) as TableName[]) {
      data.hasResourceProperties('AWS::Glue::Table', {
        DatabaseName: 'commune_scorecard',
        TableInput: Match.objectLike({
          Name: glueFilesTableName(t),
          PartitionKeys: [{ Name: 'year', Type: 'int' }],
          Parameters: Match.objectLike({
            'projection.enabled': 'true',
            'projection.year.type': 'integer',
            'projection.year.range': `${Math.min(...PLAN.years)},${Math.max(...PLAN.years)}`,
          }),
          StorageDescriptor: Match.objectLike({
            Columns: TABLES[t].map((c) => ({ Name: c.name, Type: GLUE_TYPE[c.type] })),
            Location: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`/${TABLE_PREFIX[t]}/`])] }),
            SerdeInfo: {
              SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
            },
          }),
        }),
      });
    }
    expect(Object.keys(data.findResources('AWS::Glue::Table'))).toHaveLength(Object.keys(TABLES).length);
  });

  it('creates the views at deploy time: the base relations (read rule), then the sql/views files, in order', () => {
    const base = baseViewStatements();
    data.hasResourceProperties('Custom::AthenaViews', {
      WorkGroup: 'scorecard-refresh',
      Database: 'commune_scorecard',
      Statements: [...base, ...athenaViewStatements(VIEWS_DIR)].map((v) => ({ Name: v.name, Ddl: v.ddl })),
      Reference: Match.stringLikeRegexp('^[0-9a-f]{64}$'),
    });
    // Each base relation the views read is a view over its Glue table `<relation>_files`.
    expect(base.map((b) => b.name).sort()).toEqual(
      (Object.keys(TABLES) as TableName[]).map(glueTableName).sort(),
    );
    for (const b of base) expect(b.ddl).toContain(`FROM ${b.name}_files AS f`);
    expect(s.data.baseViewNames).toEqual(base.map((b) => b.name));
    // The restricted relation is a view now, and restricted like the views that read it.
    expect(s.data.restrictedViewNames).toEqual([
      'restricted_cadre_identity',
      'cadre_gaps',
      'cadre_gap_counts',
    ]);
    // The analysts' documented views are the view files', never the base relations.
    expect(s.data.analystViewNames).toEqual(['submissions', 'cadres']);
  });
});

describe('Athena workgroups', () => {
  it('refresh, analysts and exports enforce their configuration, a scan cutoff, engine v3 and encrypted results', () => {
    for (const name of ['refresh', 'analysts', 'exports']) {
      data.hasResourceProperties('AWS::Athena::WorkGroup', {
        Name: `scorecard-${name}`,
        WorkGroupConfiguration: Match.objectLike({
          EnforceWorkGroupConfiguration: true,
          BytesScannedCutoffPerQuery: Match.anyValue(),
          EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
          ResultConfiguration: Match.objectLike({
            EncryptionConfiguration: Match.objectLike({ EncryptionOption: 'SSE_KMS' }),
            ExpectedBucketOwner: { Ref: 'AWS::AccountId' },
          }),
        }),
      });
    }
    for (const wg of Object.values(data.findResources('AWS::Athena::WorkGroup')) as {
      Properties: { WorkGroupConfiguration: { BytesScannedCutoffPerQuery: number } };
    }[]) {
      expect(wg.Properties.WorkGroupConfiguration.BytesScannedCutoffPerQuery).toBeGreaterThanOrEqual(
        10 * 1024 * 1024,
      );
    }
  });
});

describe('a DLQ on every async path', () => {
  type Q = { Properties: { RedrivePolicy?: { deadLetterTargetArn: unknown } } };
  it('every SQS queue consumed by a function redrives to a DLQ, and every DLQ has a depth alarm', () => {
    const queues = {
      ...data.findResources('AWS::SQS::Queue'),
      ...api.findResources('AWS::SQS::Queue'),
    } as Record<string, Q>;
    const mappings = Object.values(api.findResources('AWS::Lambda::EventSourceMapping')) as {
      Properties: { EventSourceArn: unknown };
    }[];
    expect(mappings.length).toBe(2); // refresh ← S3 events, export ← POST /exports
    for (const m of mappings) {
      const arn = render(m.Properties.EventSourceArn);
      const local = /^<(\w+)\.Arn>$/.exec(arn)?.[1];
      // The refresh queue lives in the data stack (S3 notifies it); its ARN arrives as an import.
      const q = local ? queues[local] : Object.entries(queues).find(([id]) => arn.includes(id))?.[1];
      expect(q?.Properties.RedrivePolicy, arn).toBeDefined();
    }
    const dlqIds = new Set(
      [...Object.values(queues).map((q) => render(q.Properties.RedrivePolicy?.deadLetterTargetArn ?? ''))]
        .filter(Boolean)
        .map((a) => a.replace(/^<|\.Arn>$/g, '')),
    );
    expect(dlqIds.size).toBe(2);
    const alarms = [data, api, schedules].flatMap((t) =>
      Object.values(t.findResources('AWS::CloudWatch::Alarm')),
    ) as { Properties: { MetricName?: string; Dimensions?: { Value: unknown }[] } }[];
    for (const id of dlqIds) {
      expect(
        alarms.some(
          (a) =>
            a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
            a.Properties.Dimensions?.some((d) => render(d.Value).includes(id)),
        ),
        id,
      ).toBe(true);
    }
  });

  it('S3 commit markers and voids notify the refresh queue', () => {
    data.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        QueueConfigurations: Match.arrayWith([
          Match.objectLike({
            Events: ['s3:ObjectCreated:*'],
            Filter: {
              Key: { FilterRules: Match.arrayWith([{ Name: 'prefix', Value: 'curated/submissions/' }]) },
            },
          }),
          Match.objectLike({
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: Match.arrayWith([{ Name: 'prefix', Value: 'curated/voids/' }]) } },
          }),
        ]),
      },
    });
  });

  it('functions invoked asynchronously (Scheduler) have a DLQ and bounded retries', () => {
    for (const name of ['export', 'compaction']) {
      api.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: fn(name),
        DeadLetterConfig: { TargetArn: Match.anyValue() },
      });
      api.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: Match.anyValue(),
        MaximumRetryAttempts: 2,
      });
    }
  });

  it('every schedule has a retry policy and a DLQ', () => {
    const all = Object.values(schedules.findResources('AWS::Scheduler::Schedule')) as {
      Properties: { Target: Record<string, unknown> };
    }[];
    expect(all.length).toBeGreaterThan(0);
    for (const sc of all) {
      expect(sc.Properties.Target).toMatchObject({
        RetryPolicy: { MaximumRetryAttempts: expect.any(Number) },
        DeadLetterConfig: { Arn: expect.anything() },
      });
    }
  });
});

describe('schedules', () => {
  it('one export schedule per due instant of the plan, at that instant (UTC)', () => {
    const due = exportSchedule(PLAN).filter((d) => d.due > NOW);
    expect(due.length).toBe(7);
    for (const d of due) {
      schedules.hasResourceProperties('AWS::Scheduler::Schedule', {
        Name: `export-${d.meeting}-${d.year}`,
        ScheduleExpression: `at(${d.due.toISOString().slice(0, 19)})`,
        ScheduleExpressionTimezone: 'Etc/UTC',
        Target: Match.objectLike({
          Input: Match.serializedJson(
            Match.objectLike({ meeting: d.meeting, year: d.year, as_of: d.due.toISOString() }),
          ),
          RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
        }),
      });
    }
  });

  it('compaction runs nightly in the plan zone, and again after the 30-minute grace to delete the inputs', () => {
    for (const [name, hour, minute] of COMPACTION_RUNS) {
      schedules.hasResourceProperties('AWS::Scheduler::Schedule', {
        Name: name,
        ScheduleExpression: `cron(${minute} ${hour} * * ? *)`,
        ScheduleExpressionTimezone: PLAN.timezone,
        Target: Match.objectLike({
          Arn: Match.anyValue(),
          Input: Match.serializedJson({ source: 'schedule', job: 'compaction' }),
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 3 }),
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
      });
    }
    const [a, b] = COMPACTION_RUNS.map(([, h, m]) => Number(h) * 60 + Number(m));
    expect((b as number) - (a as number)).toBeGreaterThan(30);
  });

  it('an instant already past is not scheduled', () => {
    const names = upcomingExports(PLAN, new Date('2027-01-01T00:00:00Z')).map((x) => x.name);
    expect(names).not.toContain('export-annual-2026');
    expect(names).toContain('export-annual-2027');
  });
});

describe('HTTP API and Cognito', () => {
  it('the JWT authorizer guards every route but the two public ones', () => {
    const routes = Object.values(api.findResources('AWS::ApiGatewayV2::Route')) as {
      Properties: { RouteKey: string; AuthorizationType?: string; AuthorizerId?: unknown };
    }[];
    expect(routes.length).toBeGreaterThan(PUBLIC_ROUTES.length);
    for (const r of routes) {
      if ((PUBLIC_ROUTES as readonly string[]).includes(r.Properties.RouteKey)) {
        expect(r.Properties.AuthorizationType ?? 'NONE', r.Properties.RouteKey).toBe('NONE');
      } else {
        expect(r.Properties, r.Properties.RouteKey).toMatchObject({
          AuthorizationType: 'JWT',
          AuthorizerId: expect.anything(),
        });
      }
    }
    expect(routes.map((r) => r.Properties.RouteKey)).toEqual(
      expect.arrayContaining([...PUBLIC_ROUTES, 'POST /api/v1/sql', 'ANY /api/v1/{proxy+}']),
    );
    api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [Match.anyValue()],
        Issuer: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['https://cognito-idp.'])] }),
      },
    });
  });

  it('the stage is throttled and writes access logs', () => {
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: Match.objectLike({
        ThrottlingRateLimit: Match.anyValue(),
        ThrottlingBurstLimit: Match.anyValue(),
      }),
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it('the user pool requires MFA, has the four role groups and an admin-only commune_code attribute', () => {
    api.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'commune_code', AttributeDataType: 'String', Mutable: true }),
      ]),
    });
    for (const g of USER_GROUPS) api.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: g });
    const client = Object.values(api.findResources('AWS::Cognito::UserPoolClient'))[0] as {
      Properties: { WriteAttributes: string[]; ReadAttributes: string[] };
    };
    expect(client.Properties.ReadAttributes).toContain('custom:commune_code');
    expect(client.Properties.WriteAttributes).not.toContain('custom:commune_code');
  });

  it('the dashboard client signs in through the hosted UI with the authorization code flow only (PKCE, no secret)', () => {
    api.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'dashboard',
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: Match.arrayWith(['openid', 'email']),
      CallbackURLs: Match.anyValue(),
      LogoutURLs: Match.anyValue(),
      SupportedIdentityProviders: ['COGNITO'],
    });
    const clients = Object.values(api.findResources('AWS::Cognito::UserPoolClient'));
    for (const c of clients)
      expect(c.Properties.AllowedOAuthFlows ?? [], 'no implicit flow').not.toContain('implicit');
    api.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    // After the first deploy the CloudFront address is passed in (-c dashboardUrl=…) and becomes the callback.
    const withUrl = Template.fromStack(
      buildApp({
        now: NOW,
        dashboardUrl: 'https://d111.cloudfront.net',
        viewsDir: VIEWS_DIR,
        webDist: mkdtempSync(join(tmpdir(), 'scorecard-web-')),
        outdir: mkdtempSync(join(tmpdir(), 'scorecard-cdk-')),
      }).api,
    );
    withUrl.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://d111.cloudfront.net/'],
      LogoutURLs: ['https://d111.cloudfront.net/'],
    });
  });

  it('every function runs nodejs22.x on arm64 with a retained log group and an error alarm', () => {
    const fns = {
      ...api.findResources('AWS::Lambda::Function', {
        Properties: { FunctionName: Match.stringLikeRegexp('^commune-scorecard-') },
      }),
    };
    expect(Object.keys(fns).length).toBe(7);
    for (const f of Object.values(fns) as { Properties: Record<string, unknown> }[]) {
      expect(f.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        LoggingConfig: { LogGroup: expect.anything() },
      });
    }
    api.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 90 }, 8);
    expect(
      Object.values(api.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'Errors' } }))
        .length,
    ).toBe(7);
  });
});

/**
 * Runs one bundle's handler with `event` in a fresh Node process — its asset directory alone, only `env` (and
 * PATH), from a temporary directory — and returns what the handler returned (or `{ error }` when it threw).
 * Asynchronous, so that stand-ins served by this test process keep answering while the bundle calls them.
 */
async function invokeBundle(
  assetDir: string,
  event: unknown,
  env: Record<string, string>,
  context: Record<string, unknown> = {},
): Promise<any> {
  const script = `
    const { handler } = await import(process.env.BUNDLE);
    const ctx = JSON.parse(process.env.CONTEXT);
    if (ctx.remainingMs) ctx.getRemainingTimeInMillis = () => ctx.remainingMs;
    const r = await handler(JSON.parse(process.env.EVENT), ctx).catch((e) => ({ error: e.message }));
    process.stdout.write('\\nRESULT ' + JSON.stringify(r) + '\\n');`;
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH,
      BUNDLE: `file://${join(assetDir, 'index.mjs')}`,
      EVENT: JSON.stringify(event),
      CONTEXT: JSON.stringify(context),
      ...env,
    },
    cwd: tmpdir(),
    encoding: 'utf8',
  });
  return JSON.parse((stdout.split('\n').find((l) => l.startsWith('RESULT ')) ?? '').slice('RESULT '.length));
}

describe('Lambda bundles', () => {
  const assetOf = (name: string) => {
    const f = Object.values(
      api.findResources('AWS::Lambda::Function', { Properties: { FunctionName: fn(name) } }),
    )[0] as {
      Properties: { Code: { S3Key: unknown } };
    };
    return join(outdir, `asset.${render(f.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
  };

  it('the bundled API function (esbuild, as synthesized) answers /api/v1/health through the Lambda adapter', () => {
    const script = `
      const { handler } = await import(${JSON.stringify(`file://${join(assetOf('api-query'), 'index.mjs')}`)});
      const path = '/api/v1/health';
      const r = await handler({ version: '2.0', routeKey: 'GET ' + path, rawPath: path, rawQueryString: '', headers: { host: 'x' },
        requestContext: { http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 't' },
          requestId: 'r', routeKey: 'GET ' + path, stage: '$default', domainName: 'x', timeEpoch: 0 }, isBase64Encoded: false }, {});
      process.stdout.write('\\nRESULT ' + JSON.stringify({ status: r.statusCode, body: JSON.parse(r.body) }) + '\\n');`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH,
        STORE_DEFAULT_BUCKET: 'b',
        AWS_REGION: 'ap-southeast-1',
        COGNITO_USER_POOL_ID: 'p',
        COGNITO_CLIENT_ID: 'c',
        SCORECARD_NOW: '2026-11-06T02:00:00Z',
      },
      encoding: 'utf8',
    });
    const result = out.split('\n').find((l) => l.startsWith('RESULT ')) ?? '';
    expect(JSON.parse(result.slice('RESULT '.length))).toMatchObject({
      status: 200,
      body: { status: 'ok', mode: 'cloud' },
    });
  });

  it('the ingest function ships its workbook worker, and that bundled worker reads the real template', async () => {
    const dir = assetOf('api-ingest');
    expect(readdirSync(dir)).toContain('workbook-worker-entry.mjs');
    const file = join(mkdtempSync(join(tmpdir(), 'scorecard-xlsx-')), 'template.xlsx');
    writeFileSync(file, await buildTemplate({ prefill: validSubmission() }));
    // The bundle resolves its worker beside index.mjs, as isolated.ts does in the function.
    const script = `
      import { Worker } from 'node:worker_threads';
      import { readFileSync } from 'node:fs';
      const w = new Worker(new URL('workbook-worker-entry.mjs', process.env.BUNDLE_DIR), { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 384 } });
      const bytes = new Uint8Array(readFileSync(process.env.XLSX));
      w.postMessage({ id: 1, bytes });
      const m = await new Promise((res, rej) => { w.once('message', res); w.once('error', rej); });
      await w.terminate();
      process.stdout.write('\\nRESULT ' + JSON.stringify({ ok: m.failed !== true, year: m.parsed?.raw?.year, codes: [...new Set(m.parsed?.errors.map((e) => e.code))] }) + '\\n');`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, BUNDLE_DIR: `file://${dir}/`, XLSX: file },
      encoding: 'utf8',
    });
    const result = out.split('\n').find((l) => l.startsWith('RESULT ')) ?? '';
    expect(JSON.parse(result.slice('RESULT '.length))).toEqual({
      ok: true,
      year: validSubmission().year,
      codes: [],
    });
  });

  it('the export and refresh functions carry the very view files the deploy-time DDL was made from', () => {
    for (const name of ['export', 'refresh']) {
      const dir = join(assetOf(name), 'sql', 'views');
      const files = readdirSync(VIEWS_DIR)
        .filter((f) => f.endsWith('.sql'))
        .sort();
      expect(readdirSync(dir).sort()).toEqual(files);
      for (const f of files)
        expect(readFileSync(join(dir, f), 'utf8')).toBe(readFileSync(join(VIEWS_DIR, f), 'utf8'));
    }
  });

  it('the bundled export and compaction functions load and answer (their own checks, before any AWS call)', () => {
    const script = `
      const out = {};
      for (const [name, event] of [['export', {}], ['compaction', { years: [2019] }]]) {
        const { handler } = await import(process.env['BUNDLE_' + name]);
        out[name] = await handler(event, {}).then(() => 'resolved', (e) => e.message);
      }
      process.stdout.write('\\nRESULT ' + JSON.stringify(out) + '\\n');`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH,
        STORE_DEFAULT_BUCKET: 'b',
        ATHENA_WORKGROUP: 'scorecard-exports',
        AWS_REGION: 'ap-southeast-1',
        BUNDLE_export: `file://${join(assetOf('export'), 'index.mjs')}`,
        BUNDLE_compaction: `file://${join(assetOf('compaction'), 'index.mjs')}`,
      },
      encoding: 'utf8',
    });
    const result = out.split('\n').find((l) => l.startsWith('RESULT ')) ?? '';
    expect(JSON.parse(result.slice('RESULT '.length))).toEqual({
      export: 'export: neither an SQS batch, a schedule event nor a self-check',
      compaction: 'compaction: not plan years: 2019',
    });
  });

  it('the bundled export function renders a Vietnamese PDF with pdfmake and its font, from the asset alone', async () => {
    // The asset directory as CDK zips it, in a temporary folder with no node_modules above it: whatever the
    // function needs at run time must be inside (issue 15, item 2: pdfmake was left as a runtime require).
    const result = await invokeBundle(
      assetOf('export'),
      { source: 'self-check' },
      {
        STORE_DEFAULT_BUCKET: 'b',
        ATHENA_WORKGROUP: 'scorecard-exports',
        AWS_REGION: 'ap-southeast-1',
      },
    );
    expect(result).toMatchObject({ pdf: true });
    expect(result.pdf_bytes).toBeGreaterThan(5_000); // the embedded Roboto subset
  });

  it('the compaction bundle, from its asset in a fresh process, compacts a year on the S3 stand-in (Object Lock raw bucket)', async () => {
    const s3 = await startS3StandIn();
    try {
      const curated = await s3.bucket('curated');
      const raw = await s3.bucket('raw', { objectLock: true });
      const store = s3.store(curated, { raw, audit: raw });
      // Three versions of 2026 through the real ingest path, onto S3 as deployed.
      const clock = new ManualClock('2026-11-01T00:00:00Z');
      const svc = new IngestService({ store, clock, personKey: personKeyFromSecret('c'.repeat(64)) });
      for (const code of COMMUNES.slice(0, 3).map((c) => c.commune_code)) {
        const r = await svc.ingest(validSubmission({ commune_code: code }), {
          actor: { sub: 't', role: 'admin' },
        });
        expect(r.status, code).toBe('accepted');
        clock.advance(60_000);
      }
      // The function as deployed: its asset alone, its environment, S3 at the stand-in's address.
      const result = await invokeBundle(
        assetOf('compaction'),
        { years: [2026] },
        {
          STORE_DEFAULT_BUCKET: curated,
          STORE_BUCKETS: JSON.stringify({ raw, audit: raw }),
          AWS_ENDPOINT_URL_S3: s3.endpoint,
          AWS_REGION: 'ap-southeast-1',
          AWS_ACCESS_KEY_ID: 'S3RVER',
          AWS_SECRET_ACCESS_KEY: 'S3RVER',
          SCORECARD_NOW: '2026-12-01T19:30:00Z',
        },
        { remainingMs: 900_000 },
      );
      expect(result.years.map((y: { year: number; status: string }) => [y.year, y.status])).toEqual([
        [2026, 'compacted'],
      ]);
      const markers = await store.list('curated/submissions/year=2026/');
      expect(markers.filter((k) => /\/part-[^/]+\.parquet$/.test(k))).toHaveLength(1);
      expect((await store.list('compaction/manifests/year=2026/')).length).toBe(1);
    } finally {
      await s3.stop();
    }
  });

  it('the refresh bundle, from its asset in a fresh process, refreshes the marts: Athena (a stand-in) and S3 (the stand-in)', async () => {
    const s3 = await startS3StandIn();
    const results = await s3.bucket('athena-results');
    const athena = await startAthenaStandIn({ endpoint: s3.endpoint, resultsBucket: results });
    const glue = await startGlueStandIn(['commune_scorecard_analysts']);
    try {
      const marts = await s3.bucket('marts', { versioned: true });
      const store = s3.store(marts);
      // The asset as a deployment of this repository carries it: this synth used a small views folder, so the
      // copy gets the repository's own view files (the marts read the real views).
      const asset = mkdtempSync(join(tmpdir(), 'refresh-asset-'));
      cpSync(assetOf('refresh'), asset, { recursive: true });
      rmSync(join(asset, 'sql', 'views'), { recursive: true });
      cpSync(join(import.meta.dirname, '..', '..', 'sql', 'views'), join(asset, 'sql', 'views'), {
        recursive: true,
      });
      expect(
        await invokeBundle(
          asset,
          { Records: [{ messageId: 'm-1', body: '{}' }] },
          {
            STORE_DEFAULT_BUCKET: marts,
            ATHENA_WORKGROUP: 'scorecard-refresh',
            ANALYSTS_DATABASE: 'commune_scorecard_analysts',
            ANALYST_VIEWS: JSON.stringify(['cadres', 'communes']),
            AWS_ENDPOINT_URL_S3: s3.endpoint,
            AWS_ENDPOINT_URL_ATHENA: athena.endpoint,
            AWS_ENDPOINT_URL_GLUE: glue.endpoint,
            AWS_REGION: 'ap-southeast-1',
            AWS_ACCESS_KEY_ID: 'S3RVER',
            AWS_SECRET_ACCESS_KEY: 'S3RVER',
            SCORECARD_NOW: '2026-11-06T02:00:00Z',
          },
        ),
      ).toEqual({ batchItemFailures: [] });
      // One query per mart, in the refresh work group, all at the refresh's one instant.
      expect(athena.queries.length).toBeGreaterThan(5);
      expect(new Set(athena.queries.map((q) => q.workGroup))).toEqual(new Set(['scorecard-refresh']));
      const instants = athena.queries.flatMap((q) =>
        [...q.text.matchAll(/TIMESTAMP '([^']+)'/g)].map((m) => m[1]),
      );
      expect(new Set(instants)).toEqual(new Set(['2026-11-06 02:00:00.000']));
      const manifest = JSON.parse(
        new TextDecoder().decode((await store.get('marts/_manifest.json')) ?? new Uint8Array()),
      );
      expect(manifest.refreshed_at).toBe('2026-11-06T02:00:00.000Z');
      // The marts' queries, then one per analysts' view: a table each in the analysts' database, pointing at the
      // Parquet the refresh wrote under analysts/ in the marts bucket.
      // (cadres a plan year at a time, communes whole)
      expect(Object.keys(manifest.files).length).toBe(athena.queries.length - PLAN.years.length - 1);
      // The catalogue asks before it creates (a first refresh: neither table exists yet).
      expect(glue.calls).toEqual(['GetTable', 'CreateTable', 'GetTable', 'CreateTable']);
      expect([...glue.tables.keys()].sort()).toEqual([
        'commune_scorecard_analysts.cadres',
        'commune_scorecard_analysts.communes',
      ]);
      const location = String(
        glue.tables.get('commune_scorecard_analysts.cadres')?.StorageDescriptor?.Location,
      );
      expect(location).toMatch(new RegExp(`^s3://${marts}/analysts/cadres/generation=[0-9a-f-]+/$`));
      expect((await store.list(location.replace(`s3://${marts}/`, ''))).length).toBe(PLAN.years.length);
      expect(await store.list('marts/refresh/')).toEqual([]); // the lease released, nothing pending
      // Each result file was deleted once read (cadre_gaps holds staff codes): the results bucket keeps nothing.
      expect(await s3.store(results).list('')).toEqual([]);
    } finally {
      await glue.stop();
      await athena.stop();
      await s3.stop();
    }
  });

  it('the export bundle, from its asset in a fresh process, builds a whole meeting pack over Athena (DuckDB behind a stand-in) equal to `npm run export`', async () => {
    const fx = await buildFixture();
    // A later state than the pack's instant: the pack is right only if each query carries its own as-of.
    const later = await openWarehouse({ dataDir: fx.dir, asOf: FIXTURE_NOW, materialise: 'none' });
    const s3 = await startS3StandIn();
    const results = await s3.bucket('athena-results');
    const athena = await startAthenaStandIn({
      endpoint: s3.endpoint,
      resultsBucket: results,
      answer: async (text) => later.query(text, { maxRows: 1_000_000 }),
    });
    try {
      const curated = await s3.bucket('curated', { versioned: true });
      const raw = await s3.bucket('raw', { objectLock: true });
      const exportsBucket = await s3.bucket('exports', { versioned: true });
      const routes = { raw, audit: raw, exports: exportsBucket };
      const asset = mkdtempSync(join(tmpdir(), 'export-asset-'));
      cpSync(assetOf('export'), asset, { recursive: true });
      rmSync(join(asset, 'sql', 'views'), { recursive: true });
      cpSync(join(import.meta.dirname, '..', '..', 'sql', 'views'), join(asset, 'sql', 'views'), {
        recursive: true,
      });
      const asOf = exportSchedule(PLAN).find((d) => d.meeting === 'annual' && d.year === 2027)?.due as Date;
      const answer = await invokeBundle(
        asset,
        { source: 'schedule', meeting: 'annual', year: 2027, as_of: asOf.toISOString() },
        {
          STORE_DEFAULT_BUCKET: curated,
          STORE_BUCKETS: JSON.stringify(routes),
          ATHENA_WORKGROUP: 'scorecard-exports',
          AWS_ENDPOINT_URL_S3: s3.endpoint,
          AWS_ENDPOINT_URL_ATHENA: athena.endpoint,
          AWS_REGION: 'ap-southeast-1',
          AWS_ACCESS_KEY_ID: 'S3RVER',
          AWS_SECRET_ACCESS_KEY: 'S3RVER',
          SCORECARD_NOW: FIXTURE_NOW,
        },
      );
      expect(answer, JSON.stringify(answer)).toMatchObject({ status: 'done' });
      const outDir = mkdtempSync(join(tmpdir(), 'export-local-'));
      const local = await createMeetingPack({
        dataDir: fx.dir,
        year: 2027,
        meeting: 'annual',
        asOf,
        outDir,
        now: new Date(FIXTURE_NOW),
      });
      expect(answer.data_sha256).toBe(local.data_sha256);
      const store = s3.store(curated, routes);
      const keys = await store.list(`exports/${answer.export_id}/`);
      const named = (suffix: string) => keys.find((k) => k.endsWith(suffix)) as string;
      // The files as officials open them: every CSV the same bytes as the local pack's …
      for (const f of local.files.filter((x) => x.name.endsWith('.csv'))) {
        const got = await store.get(`exports/${answer.export_id}/${f.name}`);
        expect(Buffer.from(got ?? new Uint8Array()), f.name).toEqual(readFileSync(join(outDir, f.name)));
      }
      // … the workbook opens, with the local workbook's sheets and their rows …
      const book = async (bytes: Uint8Array | Buffer) => {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(bytes as unknown as ArrayBuffer);
        return wb.worksheets.map((w) => `${w.name}:${w.actualRowCount}`);
      };
      const xlsxName = local.files.find((f) => f.name.endsWith('.xlsx'))?.name as string;
      const sheets = await book((await store.get(named('.xlsx'))) as Uint8Array);
      expect(sheets.length).toBeGreaterThan(2);
      expect(sheets).toEqual(await book(readFileSync(join(outDir, xlsxName))));
      // … and the PDF is a PDF with pages, made by the bundled pdfmake and its Vietnamese font.
      const pdf = Buffer.from((await store.get(named('.pdf'))) ?? new Uint8Array());
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0).toBeGreaterThan(0);
      // Every query ran in the exports workgroup, and each result file was deleted once read.
      expect(new Set(athena.queries.map((q) => q.workGroup))).toEqual(new Set(['scorecard-exports']));
      expect(await s3.store(results).list('')).toEqual([]);
    } finally {
      await athena.stop();
      await s3.stop();
      await later.close();
    }
  });

  it('the ingest bundle, from its asset in a fresh process, lands a submission: raw version under Object Lock, tables, marker', async () => {
    const s3 = await startS3StandIn();
    const pool = { region: 'ap-southeast-1', userPoolId: 'ap-southeast-1_Bundle', clientId: 'bundle-client' };
    const keys = await startUserPoolKeys(pool);
    const arn = 'arn:aws:secretsmanager:ap-southeast-1:111111111111:secret:person-key-AbCdEf';
    const secrets = await startSecretsStandIn({ [arn]: 'c'.repeat(64) });
    try {
      const curated = await s3.bucket('curated');
      const raw = await s3.bucket('raw', { objectLock: true });
      const now = '2026-11-04T02:00:00Z';
      const submission = validSubmission();
      const token = await keys.idToken(
        { sub: 'officer-1', groups: ['commune'], commune_code: submission.commune_code },
        Date.parse(now) / 1000,
      );
      const path = '/api/v1/submissions';
      const event = {
        version: '2.0',
        routeKey: `POST ${path}`,
        rawPath: path,
        rawQueryString: '',
        headers: {
          host: 'api.example',
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
        },
        requestContext: {
          http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 't' },
          requestId: 'r-1',
          routeKey: `POST ${path}`,
          stage: '$default',
          domainName: 'api.example',
          timeEpoch: 0,
        },
        body: JSON.stringify(submission),
        isBase64Encoded: false,
      };
      const answer = await invokeBundle(assetOf('api-ingest'), event, {
        API_ROLE: 'ingest',
        STORE_DEFAULT_BUCKET: curated,
        STORE_BUCKETS: JSON.stringify({ raw, audit: raw }),
        PERSON_KEY_SECRET_ARN: arn,
        COGNITO_USER_POOL_ID: pool.userPoolId,
        COGNITO_CLIENT_ID: pool.clientId,
        COGNITO_JWKS_URL: keys.jwksUrl,
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
        AWS_REGION: pool.region,
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        SCORECARD_NOW: now,
      });
      const result = { status: answer.statusCode, body: JSON.parse(answer.body) };
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(result.body).toMatchObject({ version: 1, status: 'accepted' });
      const rawStore = s3.store(raw);
      expect(await rawStore.list('raw/')).toEqual([
        `raw/year=${submission.year}/commune=${submission.commune_code}/v000001.json`,
      ]);
      expect((await rawStore.list('audit/')).length).toBeGreaterThan(0);
      const curatedStore = s3.store(curated);
      expect(await curatedStore.list(`curated/submissions/year=${submission.year}/`)).toEqual([
        `curated/submissions/year=${submission.year}/${result.body.submission_id}.parquet`,
      ]);
      // No national ID travels into the store.
      const stored = new TextDecoder().decode(
        (await rawStore.get((await rawStore.list('raw/'))[0] as string)) ?? new Uint8Array(),
      );
      for (const c of submission.cadres) if (c.national_id) expect(stored).not.toContain(c.national_id);
    } finally {
      await secrets.stop();
      await keys.stop();
      await s3.stop();
    }
  });

  it('the erasure bundle, from its asset in a fresh process, erases a person by national ID: no version of any bucket keeps them', async () => {
    const s3 = await startS3StandIn();
    const arn = 'arn:aws:secretsmanager:ap-southeast-1:111111111111:secret:person-key-AbCdEf';
    const secret = 'c'.repeat(64);
    const secrets = await startSecretsStandIn({ [arn]: secret });
    try {
      // The buckets as the data stack makes them: raw under Object Lock, the others versioned, results not.
      const raw = await s3.bucket('raw', { objectLock: true });
      const curated = await s3.bucket('curated', { versioned: true });
      const marts = await s3.bucket('marts', { versioned: true });
      const exportsBucket = await s3.bucket('exports', { versioned: true });
      const results = await s3.bucket('athena-results');
      const routes = { raw, audit: raw, marts, exports: exportsBucket, athena: results };
      const store = s3.store(curated, routes);
      const clock = new ManualClock('2026-11-01T00:00:00Z');
      const personKey = personKeyFromSecret(Buffer.from(secret, 'hex'));
      const svc = new IngestService({ store, clock, personKey });
      const s = validSubmission();
      const nationalId = s.cadres[2]?.national_id as string;
      s.cadres[2] = { ...(s.cadres[2] as (typeof s.cadres)[number]), cadre_code: 'ERASE-ME' };
      await svc.ingest(s, { actor: { sub: 't', role: 'admin' } });
      const corrected = structuredClone(s);
      corrected.report.dialogues_held = 4;
      clock.advance(60_000);
      await svc.ingest(corrected, { actor: { sub: 't', role: 'admin' } });
      await store.put('athena/scorecard-refresh/q.csv', '"cadre_code"\n"ERASE-ME"\n');
      const all = [raw, curated, marts, exportsBucket, results];
      const needles = ['ERASE-ME', personKey(nationalId)];
      expect(hits(await everyVersion(s3, all), needles).length).toBeGreaterThan(0);

      const answer = await invokeBundle(
        assetOf('erasure'),
        { national_id: nationalId, requested_by: 'DPO ticket 2026-014' },
        {
          STORE_DEFAULT_BUCKET: curated,
          STORE_BUCKETS: JSON.stringify(routes),
          STORE_BYPASS_GOVERNANCE: '["raw"]',
          PERSON_KEY_SECRET_ARN: arn,
          AWS_ENDPOINT_URL_S3: s3.endpoint,
          AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
          AWS_REGION: 'ap-southeast-1',
          AWS_ACCESS_KEY_ID: 'S3RVER',
          AWS_SECRET_ACCESS_KEY: 'S3RVER',
          SCORECARD_NOW: '2026-12-01T02:00:00Z',
        },
      );
      expect(answer).toMatchObject({ rows_erased: 2, versions_rewritten: expect.any(Array) });
      expect(answer.versions_removed).toBeGreaterThan(0);
      expect(hits(await everyVersion(s3, all), needles)).toEqual([]);
      // The erasure record (which triggers the refresh) and the audit event are there; the raw versions stay.
      expect((await store.list('erasures/')).length).toBe(1);
      expect(await s3.store(raw).list('raw/')).toHaveLength(2);
    } finally {
      await secrets.stop();
      await s3.stop();
    }
  });

  it('each API function bundles only its own routes: the parser in api-sql alone, exceljs not in api-query', () => {
    const code = (name: string) => readFileSync(join(assetOf(name), 'index.mjs'), 'utf8');
    // Strings only the SQL parser's grammar and the workbook library carry, minified or not.
    const parser = (c: string) => c.includes('trino') && c.includes('tableList');
    const excel = (c: string) => c.includes('sharedStrings.xml');
    expect(parser(code('api-sql'))).toBe(true);
    expect(parser(code('api-ingest'))).toBe(false);
    expect(parser(code('api-query'))).toBe(false);
    expect(excel(code('api-ingest'))).toBe(true);
    expect(excel(code('api-query'))).toBe(false);
    expect(excel(code('api-sql'))).toBe(false);
  });

  it('DuckDB stays out of every bundle: no native module and none of its code (only local/ and cli/ open it)', () => {
    const names = ['api-ingest', 'api-query', 'api-sql', 'refresh', 'compaction', 'export', 'erasure'];
    for (const name of names) {
      const dir = assetOf(name);
      const walk = (d: string): string[] =>
        readdirSync(d).flatMap((e) => (statSync(join(d, e)).isDirectory() ? walk(join(d, e)) : [join(d, e)]));
      expect(
        walk(dir).filter((f) => f.endsWith('.node')),
        name,
      ).toEqual([]);
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code.includes('@duckdb/node-bindings'), name).toBe(false);
      expect(code.includes('@duckdb/node-api'), name).toBe(false);
      expect(code.includes('DuckDBInstance'), name).toBe(false);
      // Well under Lambda's 250 MB unzipped limit; DuckDB's native library alone would be ~60 MB.
      expect(statSync(join(dir, 'index.mjs')).size, name).toBeLessThan(15 * 1024 * 1024);
    }
  });

  it('the SQL function outlives the analysts’ Athena deadline, inside the HTTP API’s 30 s', () => {
    const f = Object.values(
      api.findResources('AWS::Lambda::Function', { Properties: { FunctionName: fn('api-sql') } }),
    )[0] as { Properties: { Timeout: number } };
    expect(f.Properties.Timeout * 1000).toBeGreaterThan(LIMITS.sqlTimeoutMsAthena);
    expect(f.Properties.Timeout).toBeLessThanOrEqual(30);
  });

  it('no function reserves concurrency (a new account’s quota is 10; refresh and compaction take leases instead)', () => {
    for (const t of [data, api, schedules]) {
      const reserved = Object.values(t.findResources('AWS::Lambda::Function')).filter(
        (f) =>
          (f as { Properties: Record<string, unknown> }).Properties.ReservedConcurrentExecutions !==
          undefined,
      );
      expect(reserved).toEqual([]);
    }
  });

  it('no function carries a layer (the secrets extension is not published in every region); only ingest and erasure read the secret', () => {
    const layered = Object.values(
      api.findResources('AWS::Lambda::Function', { Properties: { Layers: Match.anyValue() } }),
    );
    expect(layered).toEqual([]);
    const withSecret = Object.values(api.findResources('AWS::Lambda::Function')).filter(
      (f) =>
        (f as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }).Properties
          .Environment?.Variables?.PERSON_KEY_SECRET_ARN !== undefined,
    ) as { Properties: { FunctionName: string } }[];
    expect(withSecret.map((f) => f.Properties.FunctionName).sort()).toEqual([
      fn('api-ingest'),
      fn('erasure'),
    ]);
    expect(
      stmts(api, fn('api-ingest')).some((st) => [st.Action].flat().includes('secretsmanager:GetSecretValue')),
    ).toBe(true);
    data.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({
        PasswordLength: 64,
        ExcludeUppercase: true,
        ExcludeCharacters: 'ghijklmnopqrstuvwxyz',
      }),
    });
  });

  it('deploys to both regions infra/README.md proposes: every region map of every stack has Singapore and Bangkok', () => {
    for (const t of [data, api, web, schedules]) {
      for (const [name, table] of Object.entries((t.toJSON().Mappings ?? {}) as Record<string, object>)) {
        const keys = Object.keys(table);
        if (!keys.some((k) => /^[a-z]{2}-[a-z]+-\d$/.test(k))) continue; // not keyed by region
        expect(keys, name).toEqual(expect.arrayContaining(['ap-southeast-1', 'ap-southeast-7']));
      }
    }
  });
});

describe('a first deploy that fails can be run again (issue 15, item 6)', () => {
  it('what is kept on delete is deleted when its creation is rolled back, and nothing kept carries a name a retry would need', () => {
    const offenders: string[] = [];
    for (const [stack, t] of Object.entries({ data, api, web, schedules })) {
      for (const [id, r] of Object.entries(t.toJSON().Resources as Record<string, Record<string, any>>)) {
        if (r.DeletionPolicy !== 'Retain') continue;
        // RETAIN only where the name is not unique: a rolled-back first deploy leaves an orphan, never a clash.
        // The user pool must keep Retain: its deletion protection would make a rollback that deletes it fail.
        if (r.Type === 'AWS::Cognito::UserPool') continue;
        offenders.push(`${stack}/${id} ${r.Type}`);
      }
    }
    expect(offenders).toEqual([]);
    // Kept data is RetainExceptOnCreate: the raw bucket among them.
    data.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'RetainExceptOnCreate',
      Properties: Match.objectLike({ ObjectLockEnabled: true }),
    });
    data.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'RetainExceptOnCreate' });
    // The secret's name stays taken for its recovery window after a delete: CloudFormation names it.
    for (const s of Object.values(data.findResources('AWS::SecretsManager::Secret')))
      expect((s as { Properties: Record<string, unknown> }).Properties.Name).toBeUndefined();
    // The schedule group goes with a rolled-back stack (it was retained under a fixed name).
    for (const g of Object.values(schedules.findResources('AWS::Scheduler::ScheduleGroup')))
      expect((g as { DeletionPolicy?: string }).DeletionPolicy ?? 'Delete').toBe('Delete');
    data.hasOutput('PersonKeySecretArn', Match.anyValue());
  });
});

describe('CloudFront', () => {
  it('serves the dashboard bucket through origin access control only', () => {
    web.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      }),
    });
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Origins: Match.arrayWith([
          Match.objectLike({
            OriginAccessControlId: Match.anyValue(),
            S3OriginConfig: { OriginAccessIdentity: '' },
          }),
        ]),
      }),
    });
    web.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('API errors stay API errors: no error page rule (it would cover /api/*), a routing function on the dashboard only', () => {
    const dist = Object.values(web.findResources('AWS::CloudFront::Distribution'))[0] as {
      Properties: { DistributionConfig: Record<string, any> };
    };
    const config = dist.Properties.DistributionConfig;
    expect(config.CustomErrorResponses).toBeUndefined();
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
      expect.objectContaining({ EventType: 'viewer-request' }),
    ]);
    const api = (config.CacheBehaviors as Array<Record<string, unknown>>).find(
      (b) => b.PathPattern === '/api/*',
    );
    expect(api).toBeDefined();
    expect(api?.FunctionAssociations).toBeUndefined();
    // The function as deployed: the very text of DASHBOARD_ROUTING_CODE, run here on the paths a browser asks for.
    const fns = Object.values(web.findResources('AWS::CloudFront::Function')) as Array<{
      Properties: { FunctionCode: string; FunctionConfig: { Runtime: string } };
    }>;
    expect(fns).toHaveLength(1);
    expect(fns[0]?.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(fns[0]?.Properties.FunctionCode).toBe(DASHBOARD_ROUTING_CODE);
    const handler = new Function(`${DASHBOARD_ROUTING_CODE}; return handler;`)() as (e: {
      request: { uri: string };
    }) => { uri: string };
    const routed = (uri: string) => handler({ request: { uri } }).uri;
    expect(routed('/')).toBe('/index.html');
    expect(routed('/communes/28249')).toBe('/index.html');
    expect(routed('/assets/index-Js-XYbb9.js')).toBe('/assets/index-Js-XYbb9.js');
    expect(routed('/cognito.json')).toBe('/cognito.json');
    expect(routed('/missing.png')).toBe('/missing.png'); // a missing file stays a 403/404
  });

  it("the dashboard's pages carry the same CSP as the local server (frame-ancestors none), DENY framing, HSTS", () => {
    const policies = web.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    const config = (
      Object.values(policies)[0] as { Properties: { ResponseHeadersPolicyConfig: Record<string, any> } }
    ).Properties.ResponseHeadersPolicyConfig;
    const csp = config.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy as string;
    expect(csp).toBe(dashboardCsp(AWS_CONNECT_SOURCES));
    expect(csp).toContain("frame-ancestors 'none'");
    expect(config.SecurityHeadersConfig.FrameOptions.FrameOption).toBe('DENY');
    expect(config.SecurityHeadersConfig.StrictTransportSecurity.AccessControlMaxAgeSec).toBe(31_536_000);
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          ResponseHeadersPolicyId: { Ref: Object.keys(policies)[0] },
        }),
      }),
    });
  });

  it('forwards /api/* to the HTTP API uncached', () => {
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        CacheBehaviors: [
          Match.objectLike({
            PathPattern: '/api/*',
            ViewerProtocolPolicy: 'https-only',
            AllowedMethods: Match.arrayWith(['POST']),
          }),
        ],
      }),
    });
  });
});

describe('least privilege', () => {
  const raw = bucketArnText('raw');
  const curated = bucketArnText('curated');

  it('only ingest writes raw submissions; it writes nothing outside raw/, audit/ and its curated prefixes', () => {
    const ingestWrites = allowed(stmts(api, fn('api-ingest')), S3_WRITE).sort();
    expect(ingestWrites).toEqual(
      [
        `${raw}/raw/*`,
        `${raw}/audit/*`,
        `${curated}/curated/*`,
        `${curated}/restricted/*`,
        `${curated}/idempotency/*`,
      ].sort(),
    );
    for (const other of ['api-query', 'api-sql', 'refresh', 'compaction', 'export', 'athena-views']) {
      const t = other === 'athena-views' ? data : api;
      const writes = allowed(stmts(t, fn(other)), S3_WRITE);
      expect(
        writes.filter((r) => r.startsWith(`${raw}/`) && r !== `${raw}/audit/*`),
        other,
      ).toEqual([]);
    }
  });

  it('only ingest and the erasure (a national-ID target) read the person-key secret', () => {
    const readers = [...rolesOf(api).entries(), ...rolesOf(data).entries()]
      .filter(([, st]) => allowed(st, ['secretsmanager:GetSecretValue']).length > 0)
      .map(([role]) => role)
      .sort();
    expect(readers).toEqual([fn('api-ingest'), fn('erasure')].map((f) => roleOfFunction(api, f)).sort());
  });

  it('the refresh and the export may delete their own workgroup results (read once, then deleted), nobody else’s', () => {
    const deleters = [...rolesOf(api).entries(), ...rolesOf(data).entries()]
      .map(
        ([role, st]) =>
          [role, allowed(st, ['s3:DeleteObject']).filter((r) => r.includes('athena-results'))] as const,
      )
      .filter(([, r]) => r.length > 0);
    const results = bucketArnText('athena-results');
    expect(Object.fromEntries(deleters)).toEqual({
      [roleOfFunction(api, fn('refresh'))]: [`${results}/athena/scorecard-refresh/*`],
      [roleOfFunction(api, fn('export'))]: [`${results}/athena/scorecard-exports/*`],
      [roleOfFunction(api, fn('erasure'))]: [`${results}/athena/*`],
    });
  });

  it("only the erasure role passes Object Lock's governance retention, and only on raw/*", () => {
    const holders = (action: string) =>
      [...rolesOf(api).entries(), ...rolesOf(data).entries()]
        .map(([role, st]) => [role, allowed(st, [action])] as const)
        .filter(([, resources]) => resources.length > 0);
    const erasureRole = roleOfFunction(api, fn('erasure'));
    expect(holders('s3:BypassGovernanceRetention')).toEqual([[erasureRole, [`${raw}/raw/*`]]]);
    // Removing versions for good: the erasure, and the refresh on its own marts/ and analysts/ alone.
    const purgers = holders('s3:DeleteObjectVersion');
    expect(purgers.map(([r]) => r).sort()).toEqual([erasureRole, roleOfFunction(api, fn('refresh'))].sort());
    const refreshPurges = purgers.find(([r]) => r === roleOfFunction(api, fn('refresh')))?.[1] ?? [];
    const marts = bucketArnText('marts');
    expect(refreshPurges.sort()).toEqual([`${marts}/analysts/*`, `${marts}/marts/*`]);
    // The function sends the bypass header for raw/ only, and an erasure record triggers the marts refresh.
    const erasureFn = Object.values(
      api.findResources('AWS::Lambda::Function', { Properties: { FunctionName: fn('erasure') } }),
    )[0] as { Properties: { Environment: { Variables: Record<string, unknown> } } };
    expect(erasureFn.Properties.Environment.Variables.STORE_BYPASS_GOVERNANCE).toBe('["raw"]');
    const notifications = JSON.stringify(data.findResources('Custom::S3BucketNotifications'));
    expect(notifications).toContain('erasures/');
  });

  const analystRole = () => {
    const roles = data.findResources('AWS::IAM::Role', {
      Properties: { RoleName: 'commune-scorecard-analyst' },
    });
    return rolesOf(data).get(Object.keys(roles)[0] as string) ?? [];
  };

  for (const [who, statements] of [
    ["the analysts' role", () => analystRole()],
    ["the analysts' SQL function", () => stmts(api, fn('api-sql'))],
  ] as const) {
    it(`${who} reads the analysts' layer only: neither raw data, nor the tables, nor the internal per-person views`, () => {
      const st = statements();
      const marts = bucketArnText('marts');
      // S3: the analysts' Parquet (written by the refresh), nothing in the raw or curated buckets — and denied both.
      // (Besides its own query results in the analysts' workgroup.)
      expect(allowed(st, S3_READ).filter((r) => !r.includes('/athena/scorecard-analysts/'))).toEqual([
        `${marts}/analysts/*`,
      ]);
      expect(denied(st, S3_READ)).toEqual(expect.arrayContaining([`${raw}/*`, `${curated}/*`]));
      // Glue: the analysts' database alone, one table per documented view; the internal catalogue (the Parquet
      // tables, base_roster and every other view Athena would resolve as the caller) is denied outright.
      const catalog = allowed(st, ['glue:GetTable']);
      const tables = catalog.filter((r) => r.includes(':table/'));
      expect(tables.map((r) => r.split(':table/')[1]).sort()).toEqual(
        s.data.analystViewNames.map((v) => `commune_scorecard_analysts/${v}`).sort(),
      );
      expect(catalog.filter((r) => r.includes('/commune_scorecard/'))).toEqual([]);
      expect(denied(st, ['glue:GetTable']).some((r) => r.endsWith(':table/commune_scorecard/*'))).toBe(true);
      expect(s.data.analystViewNames).not.toContain('base_roster');
      expect(s.data.analystViewNames).not.toContain('cadre_gaps');
      // Its queries run in the analysts' workgroup only.
      expect(allowed(st, ['athena:StartQueryExecution'])).toEqual([
        expect.stringMatching(/workgroup\/scorecard-analysts$/),
      ]);
    });
  }

  it("the staff-code table is readable only by the API's ingest, the marts refresh, compaction and erasure", () => {
    const readers = [...rolesOf(api).entries(), ...rolesOf(data).entries()]
      .filter(([, st]) =>
        allowed(st, S3_READ).some((r) =>
          [`${curated}/restricted/*`, `${curated}/restricted/cadre_identity/*`, `${curated}/*`].includes(r),
        ),
      )
      .map(([role]) => role)
      .sort();
    expect(readers).toEqual(
      [fn('api-ingest'), fn('refresh'), fn('compaction'), fn('erasure')]
        .map((f) => roleOfFunction(api, f))
        .sort(),
    );
  });

  it('compaction gets, puts and deletes curated/*, restricted/cadre_identity/* and compaction/* only', () => {
    const st = stmts(api, fn('compaction'));
    const expected = [
      `${curated}/curated/*`,
      `${curated}/restricted/cadre_identity/*`,
      `${curated}/compaction/*`,
    ].sort();
    for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'])
      expect(
        allowed(st, [action])
          .filter((r) => !r.includes('athena-results'))
          .sort(),
        action,
      ).toEqual(expected);
    // It runs no query and reads no catalog: pure JavaScript Parquet over the store.
    expect(allowed(st, ['athena:StartQueryExecution', 'glue:GetTable'])).toEqual([]);
  });

  it("export reads the analysts' tables only, writes exports/ and the audit, and queries in its workgroup", () => {
    const st = stmts(api, fn('export'));
    const reads = allowed(st, S3_READ).filter((r) => !r.includes('athena-results'));
    expect(reads.sort()).toEqual([`${curated}/curated/*`, `${bucketArnText('exports')}/exports/*`].sort());
    expect(
      allowed(st, S3_WRITE)
        .filter((r) => !r.includes('athena-results'))
        .sort(),
    ).toEqual([`${bucketArnText('exports')}/exports/*`, `${raw}/audit/*`].sort());
    expect(allowed(st, ['athena:StartQueryExecution'])).toEqual([
      expect.stringMatching(/workgroup\/scorecard-exports$/),
    ]);
    const catalog = allowed(st, ['glue:GetTable']).map((r) => r.split('/').pop());
    expect(catalog).toEqual(
      expect.arrayContaining(['params', 'curated_cadres', 'curated_cadres_files', 'submissions']),
    );
    expect(catalog.filter((r) => /restricted|cadre_gap/.test(r ?? ''))).toEqual([]);
    // POST /exports hands the pack to the export function through this queue.
    const queue = (st: Statement[]) => allowed(st, ['sqs:SendMessage']);
    expect(queue(stmts(api, fn('api-query')))).toHaveLength(1);
    expect(allowed(st, ['sqs:ReceiveMessage'])).toHaveLength(1);
  });

  it("ingest reads compaction's coverage manifests (a compacted submission is still committed)", () => {
    expect(allowed(stmts(api, fn('api-ingest')), S3_READ)).toContain(`${curated}/compaction/manifests/*`);
  });

  it("no function may touch a whole bucket's objects", () => {
    for (const t of [api, data]) {
      for (const [role, st] of rolesOf(t)) {
        const wide = allowed(st, [...S3_READ, ...S3_WRITE, 's3:DeleteObject']).filter((r) =>
          /commune-scorecard-[a-z-]+-<AWS::AccountId>-<AWS::Region>\/\*$/.test(r),
        );
        expect(wide, role).toEqual([]);
      }
    }
  });
});
