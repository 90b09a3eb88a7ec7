// API: Cognito, the HTTP API and the functions behind it (ingest, query, analysts' SQL), the marts refresh fed
// by the data stack's queue, compaction and the meeting-pack export. One Hono app (functions/src/api/app.ts);
// the routes are split over three functions so that each runs with the least privilege its routes need, and
// each function's entry (functions/src/entry/lambda/api-<name>.ts) mounts only its own route groups.

import { TABLE_PREFIX } from '@scorecard/data-contracts/parquet.ts';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as iamLib from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { grantPrefixes } from '../constructs/prefix-grants.ts';
import { QueueWithDlq } from '../constructs/queue-with-dlq.ts';
import { LOG_RETENTION, ScorecardFunction } from '../constructs/scorecard-function.ts';
import type { DataStack } from './data-stack.ts';
import { ANALYSTS_DATABASE, BUCKET_FOR_PREFIX, bucketName, GLUE_DATABASE } from './store-layout.ts';

/** The roles of docs/interfaces.md; each is a Cognito group. */
export const USER_GROUPS = ['leader', 'analyst', 'commune', 'admin'] as const;

/** Steady requests per second and burst for the whole API stage (a province's officers, a national dashboard). */
const STAGE_THROTTLE = { rateLimit: 50, burstLimit: 100 };

/** Routes answered without a token (docs/interfaces.md); every other route needs a Cognito JWT. */
export const PUBLIC_ROUTES = ['GET /api/v1/health', 'GET /api/v1/openapi.json'] as const;

export interface ApiStackProps extends StackProps {
  data: DataStack;
  /**
   * Where the dashboard is served: the hosted sign-in's callback and sign-out URLs. The CloudFront address is
   * only known after the web stack's first deploy (it depends on this stack), so it comes from the context
   * (`-c dashboardUrl=https://…`, infra/README.md); until then only the local development URL is registered.
   */
  dashboardUrls?: string[];
  /** The hosted UI's domain prefix (`<prefix>.auth.<region>.amazoncognito.com`); default from the account id. */
  cognitoDomainPrefix?: string;
}

/** What every function of this stack is built from. */
interface FunctionContext {
  data: DataStack;
  key: DataStack['dataKey'];
  storeEnv: Record<string, string>;
  authEnv: Record<string, string>;
}

export class ApiStack extends Stack {
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  /** Cognito's hosted sign-in (the dashboard's "Đăng nhập" button: authorization code + PKCE). */
  readonly userPoolDomain: cognito.UserPoolDomain;
  readonly httpApi: apigw.HttpApi;
  readonly functions: Record<
    'ingest' | 'query' | 'sql' | 'refresh' | 'compaction' | 'export' | 'erasure',
    ScorecardFunction
  >;
  readonly exportQueue: QueueWithDlq;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { data } = props;
    this.addStackDependency(data, 'bucket names are computed, not imported');

    const signIn = this.signIn(props);
    this.userPool = signIn.userPool;
    this.userPoolClient = signIn.client;
    this.userPoolDomain = signIn.domain;

    const storeEnv = {
      STORE_DEFAULT_BUCKET: bucketName('curated'),
      STORE_BUCKETS: Stack.of(this).toJsonString(
        Object.fromEntries(Object.entries(BUCKET_FOR_PREFIX).map(([prefix, b]) => [prefix, bucketName(b)])),
      ),
      ATHENA_DATABASE: GLUE_DATABASE,
    };
    const authEnv = {
      COGNITO_USER_POOL_ID: this.userPool.userPoolId,
      COGNITO_CLIENT_ID: this.userPoolClient.userPoolClientId,
    };
    const ctx: FunctionContext = { data, key: data.dataKey, storeEnv, authEnv };
    this.exportQueue = new QueueWithDlq(this, 'ExportQueue', {
      visibilityTimeout: Duration.minutes(90),
      maxReceiveCount: 3,
      alarmTopic: data.alarmTopic,
    });

    const ingest = this.ingestFunction(ctx);
    const query = this.queryFunction(ctx);
    const sql = this.sqlFunction(ctx);
    this.functions = {
      ingest,
      query,
      sql,
      refresh: this.refreshFunction(ctx),
      compaction: this.compactionFunction(ctx),
      export: this.exportFunction(ctx),
      erasure: this.erasureFunction(ctx),
    };
    this.httpApi = this.httpApiFor(this.userPool, this.userPoolClient, { ingest, query, sql });

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
  }

  /** Who may sign in: the user pool (administrators create accounts, MFA required), its groups, the dashboard's client and the hosted sign-in. */
  private signIn(props: ApiStackProps) {
    const userPool = new cognito.UserPool(this, 'Users', {
      userPoolName: 'commune-scorecard',
      // Accounts are created by the province's administrators, never by sign-up.
      selfSignUpEnabled: false,
      signInAliases: { email: true, username: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      customAttributes: {
        // The commune an officer reports for (5-digit statistics-office code); set by an administrator.
        commune_code: new cognito.StringAttribute({ minLen: 5, maxLen: 5, mutable: true }),
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const plusReason =
      'Threat protection (advanced security) needs the Cognito Plus plan (~USD 0.02 per monthly active user, ~USD 200/month at national scale). MFA (TOTP) is required for every user and accounts are created by administrators only; enabling Plus is a one-line change listed in infra/README.md.';
    Validations.of(userPool).acknowledge(
      { id: 'AwsSolutions-COG3', reason: plusReason },
      { id: 'AwsSolutions-COG8', reason: plusReason },
    );
    USER_GROUPS.forEach((g, i) => {
      new cognito.CfnUserPoolGroup(this, `Group-${g}`, {
        userPoolId: userPool.userPoolId,
        groupName: g,
        description: `Commune Scorecard role: ${g}`,
        precedence: i,
      });
    });
    const standard = new cognito.ClientAttributes().withStandardAttributes({
      email: true,
      emailVerified: true,
    });
    const client = userPool.addClient('Dashboard', {
      userPoolClientName: 'dashboard',
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
      readAttributes: standard.withCustomAttributes('commune_code'),
      // Users must not be able to change which commune they report for: only administrators write it.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
      // The hosted sign-in: authorization code with PKCE (a public client, no secret); no implicit flow.
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: props.dashboardUrls ?? ['http://localhost:8787/'],
        logoutUrls: props.dashboardUrls ?? ['http://localhost:8787/'],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
    });
    const domain = userPool.addDomain('HostedSignIn', {
      cognitoDomain: {
        domainPrefix: props.cognitoDomainPrefix ?? `commune-scorecard-${Stack.of(this).account}`,
      },
    });

    return { userPool, client, domain };
  }

  /** One of the API's three functions: the same bundle settings, its own entry and environment. */
  private apiFunction(
    ctx: FunctionContext,
    name: 'ingest' | 'query' | 'sql',
    description: string,
    extra: Record<string, string> = {},
    workbookWorker = false,
  ): ScorecardFunction {
    return new ScorecardFunction(this, `Api-${name}`, {
      name: `api-${name}`,
      entry: `functions/src/entry/lambda/api-${name}.ts`,
      description,
      environment: { ...ctx.storeEnv, ...ctx.authEnv, API_ROLE: name, ...extra },
      alarmTopic: ctx.data.alarmTopic,
      workbookWorker,
    });
  }

  /** Submissions: validate, land raw/ and the Parquet tables, voids, the Excel template. */
  private ingestFunction(ctx: FunctionContext): ScorecardFunction {
    const ingest = this.apiFunction(
      ctx,
      'ingest',
      'API: submissions (validate, land raw + Parquet), voids, the Excel template',
      // The person key is read from Secrets Manager once per container (no layer: it works in every region).
      { PERSON_KEY_SECRET_ARN: ctx.data.personKeySecret.secretArn },
      // Uploaded workbooks are read in a worker thread (functions/src/excel/isolated.ts).
      true,
    );
    // Ingest writes raw/ and audit/ (raw bucket) and the Parquet tables (curated bucket); it reads back only
    // what the write protocol needs (previous versions, idempotency records). Nothing in marts or exports.
    grantPrefixes({
      grantee: ingest.role,
      bucket: 'raw',
      prefixes: ['raw/', 'audit/'],
      access: ['read', 'write'],
      key: ctx.key,
      why: 'Ingest claims the next version (create-only put) after reading the latest, and audits every attempt.',
    });
    grantPrefixes({
      grantee: ingest.role,
      bucket: 'curated',
      prefixes: ['curated/', 'restricted/', 'idempotency/'],
      access: ['read', 'write'],
      key: ctx.key,
      why: 'Ingest writes the Parquet tables, the commit marker last, and Idempotency-Key records; it re-reads them to complete an interrupted write.',
    });
    grantPrefixes({
      grantee: ingest.role,
      bucket: 'curated',
      prefixes: ['compaction/manifests/'],
      access: ['read'],
      key: ctx.key,
      why: "Once compaction has merged a submission's small files, its coverage manifests say the submission is committed (or voided): ingest and the submission history consult them (functions/src/compaction/coverage-index.ts).",
    });
    ctx.data.grantPersonKeyRead(ingest.role);
    return ingest;
  }

  /** Everything read from the marts, meeting packs requested, the audit trail. */
  private queryFunction(ctx: FunctionContext): ScorecardFunction {
    const query = this.apiFunction(
      ctx,
      'query',
      'API: KPIs, warnings, rankings, data quality, cadre gaps, exports, audit (served from the marts)',
      {
        EXPORT_QUEUE_URL: this.exportQueue.queue.queueUrl,
      },
    );
    grantPrefixes({
      grantee: query.role,
      bucket: 'marts',
      prefixes: ['marts/'],
      access: ['read'],
      key: ctx.key,
      why: 'The dashboard routes are served from the materialised marts.',
    });
    grantPrefixes({
      grantee: query.role,
      bucket: 'exports',
      prefixes: ['exports/'],
      access: ['read', 'write'],
      key: ctx.key,
      why: "POST /exports records the request; GET /exports/:id/:file presigns the pack's files.",
    });
    grantPrefixes({
      grantee: query.role,
      bucket: 'raw',
      prefixes: ['audit/'],
      access: ['read', 'write'],
      key: ctx.key,
      why: 'Reads of cadre-level data are audited; GET /audit (admin) reads the trail.',
    });
    this.exportQueue.queue.grantSendMessages(query.role);
    return query;
  }

  /** Analysts' SQL on Athena, with the analysts' rights and nothing more. */
  private sqlFunction(ctx: FunctionContext): ScorecardFunction {
    const sql = this.apiFunction(
      ctx,
      'sql',
      "API: analysts' read-only SQL on Athena, with the analysts' rights",
      {
        ATHENA_WORKGROUP: ctx.data.workGroups.analysts.name,
        // The analysts' layer (their views as tables, written by the refresh), not the main database.
        ATHENA_DATABASE: ANALYSTS_DATABASE,
        ANALYST_VIEWS: JSON.stringify(ctx.data.analystViewNames),
      },
    );
    // The same rights as the analysts' role: even a query that slipped past the SQL guard cannot read raw data
    // or staff codes.
    ctx.data.grantAnalystsRead(sql.role);
    ctx.data.grantAthenaQuery(sql.role, ctx.data.workGroups.analysts);
    grantPrefixes({
      grantee: sql.role,
      bucket: 'raw',
      prefixes: ['audit/'],
      access: ['write'],
      key: ctx.key,
      why: 'Every analyst query is audited (append-only; no read).',
    });
    return sql;
  }

  /** The marts refresh, fed by the data stack's queue. */
  private refreshFunction(ctx: FunctionContext): ScorecardFunction {
    const refresh = new ScorecardFunction(this, 'Refresh', {
      name: 'refresh',
      entry: 'functions/src/entry/lambda/refresh.ts',
      description:
        "Marts refresh: runs the views on Athena after each ingest and writes marts/ and the analysts' layer",
      timeout: Duration.minutes(5),
      // The analysts' layer holds the largest answer, cadres: nationally ~660 k rows, written a plan year at a time
      // (~133 k rows: the rows and their Parquet measured 329 MB RSS here, the CSV text comes on top).
      memorySize: 2048,
      environment: {
        ...ctx.storeEnv,
        ATHENA_WORKGROUP: ctx.data.workGroups.refresh.name,
        // After the marts, the analysts' layer: their views as Parquet and a table each in their own database.
        ANALYSTS_DATABASE: ANALYSTS_DATABASE,
        ANALYST_VIEWS: JSON.stringify(ctx.data.analystViewNames),
      },
      alarmTopic: ctx.data.alarmTopic,
      // One as-of per refresh: the mart queries carry their view chain, inlined at that instant from these files.
      sqlViewsDir: ctx.data.viewsDir,
      // One refresh at a time without reserved concurrency: a lease and a mark in marts/refresh/
      // (functions/src/entry/lambda/cloud-refresh.ts) — a burst of submissions collapses into the next run.
    });
    ctx.data.grantAthenaQuery(refresh.role, ctx.data.workGroups.refresh, { discardResults: true });
    this.grantCatalogRead(refresh.role, ctx.data, true);
    grantPrefixes({
      grantee: refresh.role,
      bucket: 'curated',
      prefixes: ['curated/', 'restricted/'],
      access: ['read'],
      key: ctx.key,
      why: 'Athena reads the tables as this role when the refresh runs the views; cadre_gaps (an API-only mart) needs the restricted table.',
    });
    grantPrefixes({
      grantee: refresh.role,
      bucket: 'marts',
      prefixes: ['marts/'],
      access: ['read', 'write', 'delete', 'purge'],
      key: ctx.key,
      why: 'The refresh replaces the marts and their manifest, and removes superseded files with their versions (after an erasure no retired mart may keep the person).',
    });
    grantPrefixes({
      grantee: refresh.role,
      bucket: 'marts',
      prefixes: ['analysts/'],
      access: ['read', 'write', 'delete', 'purge'],
      key: ctx.key,
      why: "The refresh writes the analysts' layer (their views as Parquet) and removes the generation it replaces, with its versions.",
    });
    refresh.role.addToPrincipalPolicy(
      new iamLib.PolicyStatement({
        sid: 'PublishAnalystsTables',
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:CreateTable', 'glue:UpdateTable'],
        resources: [ctx.data.catalogArn(), ctx.data.analystsDatabaseArn(), ...ctx.data.analystsTableArns()],
      }),
    );
    refresh.fn.addEventSource(
      new SqsEventSource(ctx.data.refreshQueue.queue, {
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(30),
        reportBatchItemFailures: true,
      }),
    );
    return refresh;
  }

  /** Compaction of a year's small files (scheduled). */
  private compactionFunction(ctx: FunctionContext): ScorecardFunction {
    const compaction = new ScorecardFunction(this, 'Compaction', {
      name: 'compaction',
      entry: 'functions/src/entry/lambda/compaction.ts',
      description: 'Compaction: merges small per-submission Parquet files of a year (scheduled)',
      timeout: Duration.minutes(15),
      memorySize: 2048,
      environment: ctx.storeEnv,
      alarmTopic: ctx.data.alarmTopic,
      asyncInvoked: true,
      // No reserved concurrency: two runs of one year are safe, and its lease (compaction/lock/) keeps them from
      // doing the work twice (functions/src/compaction/compact.ts).
    });
    grantPrefixes({
      grantee: compaction.role,
      bucket: 'curated',
      // The compacted tables and compaction's own manifests and leases; not idempotency/ nor any other bucket.
      prefixes: ['curated/', `${TABLE_PREFIX.cadre_identity}/`, 'compaction/'],
      access: ['read', 'write', 'delete'],
      key: ctx.key,
      why: "Compaction rewrites a year's small Parquet files into one per table, records the run in compaction/manifests/ (leases in compaction/lock/) and deletes the originals after a 30-minute grace (versioning keeps them).",
    });
    return compaction;
  }

  /** Meeting packs, on request (the export queue) and on the plan's schedule. */
  private exportFunction(ctx: FunctionContext): ScorecardFunction {
    const exportFn = new ScorecardFunction(this, 'Export', {
      name: 'export',
      entry: 'functions/src/entry/lambda/export.ts',
      description: "Meeting packs (xlsx, csv, pdf, manifest) on request and on the plan's schedule",
      timeout: Duration.minutes(15),
      memorySize: 2048,
      environment: { ...ctx.storeEnv, ATHENA_WORKGROUP: ctx.data.workGroups.exports.name },
      alarmTopic: ctx.data.alarmTopic,
      asyncInvoked: true,
      // The pack evaluates these view bodies at its own as-of (functions/src/warehouse/as-of-views.ts): the same
      // files the deploy-time DDL was made from.
      sqlViewsDir: ctx.data.viewsDir,
    });
    ctx.data.grantAthenaQuery(exportFn.role, ctx.data.workGroups.exports, { discardResults: true });
    this.grantCatalogRead(exportFn.role, ctx.data, false);
    grantPrefixes({
      grantee: exportFn.role,
      bucket: 'curated',
      prefixes: ['curated/'],
      access: ['read'],
      key: ctx.key,
      why: 'Athena reads the analysts\' tables as this role for a pack "as of" its instant (the view chain inlined with that as-of); no staff codes.',
    });
    grantPrefixes({
      grantee: exportFn.role,
      bucket: 'exports',
      prefixes: ['exports/'],
      access: ['read', 'write'],
      key: ctx.key,
      why: 'The pack (xlsx, csv, pdf, manifest) is written under exports/<export_id>/, and its status record (queued by POST /exports) moves to running, done or failed.',
    });
    grantPrefixes({
      grantee: exportFn.role,
      bucket: 'raw',
      prefixes: ['audit/'],
      access: ['write'],
      key: ctx.key,
      why: 'Each pack produced is audited (append-only; no read).',
    });
    exportFn.fn.addEventSource(
      new SqsEventSource(this.exportQueue.queue, { batchSize: 1, reportBatchItemFailures: true }),
    );
    return exportFn;
  }

  /**
   * Erasure of a person (functions/src/entry/lambda/cloud-erasure.ts), invoked by hand by an administrator.
   * The one role allowed through raw/'s Object Lock (governance bypass), to remove the old versions an erasure
   * leaves behind; it rewrites every copy of the person's rows and removes the copies kept for the moment.
   */
  private erasureFunction(ctx: FunctionContext): ScorecardFunction {
    const erasure = new ScorecardFunction(this, 'Erasure', {
      name: 'erasure',
      entry: 'functions/src/entry/lambda/erasure.ts',
      description: 'Erasure of a person (Law 91/2025): invoked by an administrator; see infra/README.md',
      timeout: Duration.minutes(15),
      memorySize: 1024,
      environment: {
        ...ctx.storeEnv,
        // Athena's query results too: they may hold the person (the refresh's cadre_gaps rows).
        STORE_BUCKETS: Stack.of(this).toJsonString({
          ...Object.fromEntries(
            Object.entries(BUCKET_FOR_PREFIX).map(([prefix, b]) => [prefix, bucketName(b)]),
          ),
          athena: bucketName('athena-results'),
        }),
        STORE_BYPASS_GOVERNANCE: JSON.stringify(['raw']),
        PERSON_KEY_SECRET_ARN: ctx.data.personKeySecret.secretArn,
      },
      alarmTopic: ctx.data.alarmTopic,
    });
    ctx.data.grantPersonKeyRead(erasure.role);
    grantPrefixes({
      grantee: erasure.role,
      bucket: 'raw',
      prefixes: ['raw/'],
      access: ['read', 'write', 'purge', 'bypass-retention'],
      key: ctx.key,
      why: "Erasure rewrites each stored version that lists the person and removes its older, locked versions: the only role allowed through Object Lock's governance mode.",
    });
    grantPrefixes({
      grantee: erasure.role,
      bucket: 'raw',
      prefixes: ['audit/'],
      access: ['write'],
      key: ctx.key,
      why: 'The erasure is audited (append-only; no read).',
    });
    grantPrefixes({
      grantee: erasure.role,
      bucket: 'curated',
      prefixes: ['curated/', `${TABLE_PREFIX.cadre_identity}/`, 'compaction/', 'erasures/'],
      access: ['read', 'write', 'delete', 'purge'],
      key: ctx.key,
      why: "Erasure rewrites the person's rows in every table file (per-submission and compacted) under the compaction leases, removes the older versions of the cadre tables, and records itself in erasures/ (which triggers the refresh).",
    });
    grantPrefixes({
      grantee: erasure.role,
      bucket: 'marts',
      prefixes: ['marts/', 'analysts/'],
      access: ['purge'],
      key: ctx.key,
      why: "Retired marts generations (cadre_gaps holds staff codes) and analysts' layers (person keys) are removed with their versions.",
    });
    grantPrefixes({
      grantee: erasure.role,
      bucket: 'exports',
      prefixes: ['exports/downloads/'],
      access: ['read', 'delete', 'purge'],
      key: ctx.key,
      why: 'Large answers handed over for a day may hold the person: removed with their versions.',
    });
    grantPrefixes({
      grantee: erasure.role,
      bucket: 'athena-results',
      prefixes: ['athena/'],
      access: ['read', 'delete', 'purge'],
      key: ctx.key,
      why: "Athena's query results may hold the person (the refresh's cadre_gaps rows): removed.",
    });
    return erasure;
  }

  /** The HTTP API: its stage (throttled, access-logged without tokens), the Cognito authorizer, the routes. */
  private httpApiFor(
    userPool: cognito.UserPool,
    client: cognito.UserPoolClient,
    fns: { ingest: ScorecardFunction; query: ScorecardFunction; sql: ScorecardFunction },
  ): apigw.HttpApi {
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      logGroupName: '/scorecard/api/access',
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const httpApi = new apigw.HttpApi(this, 'HttpApi', {
      apiName: 'commune-scorecard',
      description: 'Commune Scorecard API /api/v1 (docs/interfaces.md)',
      createDefaultStage: false,
    });
    new apigw.HttpStage(this, 'Stage', {
      httpApi: httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: STAGE_THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        // No Authorization header, no bodies, no query strings (commune codes are not personal, but tokens are).
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            method: '$context.httpMethod',
            route: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            sub: '$context.authorizer.claims.sub',
            error: '$context.error.message',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
    const authorizer = new HttpUserPoolAuthorizer('Cognito', userPool, {
      userPoolClients: [client],
      authorizerName: 'cognito-jwt',
    });
    const integration = (name: string, f: ScorecardFunction) =>
      new HttpLambdaIntegration(`${name}Integration`, f.fn);
    const ingestInt = integration('Ingest', fns.ingest);
    const queryInt = integration('Query', fns.query);
    const sqlInt = integration('Sql', fns.sql);
    const route = (
      path: string,
      methods: apigw.HttpMethod[],
      target: HttpLambdaIntegration,
      isPublic = false,
    ) => httpApi.addRoutes({ path, methods, integration: target, ...(isPublic ? {} : { authorizer }) });

    for (const r of PUBLIC_ROUTES) {
      const [, path] = r.split(' ');
      const routes = route(path as string, [apigw.HttpMethod.GET], queryInt, true);
      for (const rt of routes) {
        Validations.of(rt).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${r} is public by contract (docs/interfaces.md: liveness and the OpenAPI document); it returns no data.`,
        });
      }
    }
    route('/api/v1/submissions', [apigw.HttpMethod.ANY], ingestInt);
    route('/api/v1/submissions/{proxy+}', [apigw.HttpMethod.ANY], ingestInt);
    route('/api/v1/template.xlsx', [apigw.HttpMethod.GET], ingestInt);
    route('/api/v1/sql', [apigw.HttpMethod.POST], sqlInt);
    route('/api/v1/{proxy+}', [apigw.HttpMethod.ANY], queryInt);
    return httpApi;
  }

  /** Read the Glue catalog: the analysts' tables and views, plus the restricted ones when `restricted`. */
  private grantCatalogRead(role: iam.IRole, data: DataStack, restricted: boolean): void {
    const names = restricted
      ? [...Object.values(data.tables).map((t) => t.tableName), ...data.viewNames]
      : [
          ...Object.values(data.tables)
            .filter((t) => !t.prefix.startsWith('restricted/'))
            .map((t) => t.tableName),
          ...data.viewNames.filter((v) => !data.restrictedViewNames.includes(v)),
        ];
    role.addToPrincipalPolicy(
      new iamLib.PolicyStatement({
        actions: [
          'glue:GetDatabase',
          'glue:GetTable',
          'glue:GetTables',
          'glue:GetPartition',
          'glue:GetPartitions',
        ],
        resources: [data.catalogArn(), data.databaseArn(), ...data.tableArns(names)],
      }),
    );
  }
}
