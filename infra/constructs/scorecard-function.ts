// Lambda defaults, written once: nodejs22.x on arm64, bundled by the local esbuild (no Docker), an explicit
// log group with retention, a role that starts with nothing but its own log group, an alarm on errors, and —
// for functions invoked asynchronously — a DLQ plus a bounded retry count.

import { join } from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './queue-with-dlq.ts';

/** The repository root: NodejsFunction needs it (and its package-lock.json) to bundle. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** Runtime of every function. The AWS SDK's releases after early 2027 need Node ≥ 22 (tech-notes). */
const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_22_X;
export const LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;

export interface ScorecardFunctionProps {
  /** Short name: the log group is /scorecard/lambda/<name>. */
  name: string;
  /** Entry file under functions/src/entry/lambda/. */
  entry: string;
  description: string;
  environment?: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
  alarmTopic: sns.ITopic;
  /** Invoked asynchronously (Scheduler, S3, Lambda Event): give it a DLQ and bounded retries. */
  asyncInvoked?: boolean;
  /**
   * Copy this folder's view files (sql/views/*.sql) beside the bundle as sql/views/: the export function
   * evaluates the same view bodies the deploy-time DDL was made from, at a pack's as-of (as-of-views.ts).
   */
  sqlViewsDir?: string;
  /**
   * Ship the workbook worker beside the bundle (functions/src/excel/isolated.ts starts it from
   * ./workbook-worker-entry.mjs): uploaded .xlsx files are read in a worker with a time and heap cap.
   */
  workbookWorker?: boolean;
}

/**
 * The banner of the function bundle and the extra worker bundle: CommonJS code inside an ESM bundle expects
 * `require`, `__filename` and `__dirname` (pdfkit, bundled into the export function, resolves paths against
 * __dirname when it renders a PDF).
 */
const REQUIRE_BANNER = [
  "import { createRequire as __cr } from 'node:module';",
  "import { fileURLToPath as __fup } from 'node:url';",
  "import { dirname as __dn } from 'node:path';",
  'const require = __cr(import.meta.url);',
  'const __filename = __fup(import.meta.url);',
  'const __dirname = __dn(__filename);',
].join(' ');

export class ScorecardFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly dlq?: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: ScorecardFunctionProps) {
    super(scope, id);
    const logGroupName = `/scorecard/lambda/${props.name}`;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName,
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Not AWSLambdaBasicExecutionRole: that managed policy may write to every log group of the account.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Scorecard ${props.name} function`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        // The log group's ARN already ends in :* (its streams), nothing wider.
        resources: [this.logGroup.logGroupArn],
      }),
    );
    if (props.asyncInvoked) this.dlq = new DeadLetterQueue(this, 'Dlq', { alarmTopic: props.alarmTopic });

    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      // A fixed name: other stacks (schedules) and operators address the function by it.
      functionName: functionName(props.name),
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      description: props.description,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(29),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        STORAGE: 's3',
        ENGINE: 'athena',
        ...props.environment,
      },
      deadLetterQueue: this.dlq?.queue,
      retryAttempts: props.asyncInvoked ? 2 : undefined,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        // Bundle the AWS SDK too: the versions the tests ran against, not whatever the runtime ships.
        externalModules: [],
        // Some dependencies still call require(); give the ESM bundle one.
        banner: REQUIRE_BANNER,
        forceDockerBundling: false,
        // DuckDB is the local engine only: no module a Lambda imports reaches it (only functions/src/entry/local and
        // cli open it; tests/infra/stacks.test.ts checks every bundle), the cloud runs SQL on Athena.
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [
            // The meeting-pack PDF finds its Vietnamese-capable font through require.resolve('pdfmake/…').
            `mkdir -p "${outputDir}/node_modules/pdfmake/fonts"`,
            `cp "${inputDir}/node_modules/pdfmake/package.json" "${outputDir}/node_modules/pdfmake/"`,
            `cp -R "${inputDir}/node_modules/pdfmake/fonts/Roboto" "${outputDir}/node_modules/pdfmake/fonts/"`,
            ...(props.workbookWorker
              ? [
                  `"${inputDir}/node_modules/.bin/esbuild" "${inputDir}/functions/src/excel/workbook-worker.ts" --bundle --minify --platform=node --format=esm --target=node22 --banner:js="${REQUIRE_BANNER}" --outfile="${outputDir}/workbook-worker-entry.mjs" --log-level=warning`,
                ]
              : []),
            ...(props.sqlViewsDir
              ? [
                  `mkdir -p "${outputDir}/sql/views"`,
                  `cp "${props.sqlViewsDir}"/*.sql "${outputDir}/sql/views/"`,
                ]
              : []),
          ],
        },
      },
    });

    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x on purpose (tech-notes): the code is tested on Node 20/22 and bundled for node22; nodejs22.x is supported by Lambda into 2027. Move to nodejs24.x together with the test runtime, not silently.',
    });

    const errors = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmDescription: `The scorecard ${props.name} function reported errors.`,
      metric: this.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    errors.addAlarmAction(new actions.SnsAction(props.alarmTopic));
  }
}

/** The deployed name of a scorecard function. */
export function functionName(name: string): string {
  return `commune-scorecard-${name}`;
}

/** How cdk-nag prints that function's ARN in a finding. */
export function nagFunctionArn(name: string): string {
  return `arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:${functionName(name)}`;
}
