// The CDK app: four stacks by lifecycle, env-agnostic (synth needs no account, no credentials, no network),
// checked by cdk-nag's AwsSolutions pack. Tests build it in-process with fixed inputs.

import { join } from 'node:path';
import { App, Aspects, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { REPO_ROOT } from '../constructs/scorecard-function.ts';
import { ApiStack } from './api-stack.ts';
import { DataStack } from './data-stack.ts';
import { acknowledgeFrameworkFindings } from './nag-acknowledgements.ts';
import { SchedulesStack } from './schedules-stack.ts';
import { WebStack } from './web-stack.ts';

/** CDK feature flags, set here (not only in cdk.json) so the tests synthesize exactly what the CLI does. */
const FEATURE_FLAGS = {
  // Server access logs are delivered through a bucket policy, not the legacy LogDeliveryWrite ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-s3:createDefaultLoggingPolicy': true,
  '@aws-cdk/aws-kms:aliasNameRef': true,
  '@aws-cdk/core:enablePartitionLiterals': true,
  '@aws-cdk/aws-cloudfront:defaultSecurityPolicyTLSv1.2_2021': true,
  // Cross-stack references (alarm topic, keys, queue, user pool) protect their producer from deletion.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
};

export interface ScorecardAppOptions {
  outdir?: string;
  viewsDir?: string;
  webDist?: string;
  /** The synth's clock: export schedules fall due after it (SCORECARD_NOW, else now). */
  now?: Date;
  /** The dashboard's URL for the hosted sign-in (else the `dashboardUrl` context value). */
  dashboardUrl?: string;
}

export interface ScorecardApp {
  app: App;
  data: DataStack;
  api: ApiStack;
  web: WebStack;
  schedules: SchedulesStack;
}

export function buildApp(options: ScorecardAppOptions = {}): ScorecardApp {
  const app = new App({ ...(options.outdir ? { outdir: options.outdir } : {}), context: FEATURE_FLAGS });
  const description = 'Commune Scorecard (Đồng Tháp commune-cadre plan 2026–2030)';
  const data = new DataStack(app, 'ScorecardData', {
    description: `${description}: data`,
    viewsDir: options.viewsDir ?? join(REPO_ROOT, 'sql', 'views'),
  });
  // The dashboard's address for the hosted sign-in (known after the first deploy: infra/README.md).
  const dashboardUrl = options.dashboardUrl ?? (app.node.tryGetContext('dashboardUrl') as string | undefined);
  const api = new ApiStack(app, 'ScorecardApi', {
    description: `${description}: API`,
    data,
    ...(dashboardUrl
      ? { dashboardUrls: [dashboardUrl.endsWith('/') ? dashboardUrl : `${dashboardUrl}/`] }
      : {}),
  });
  const web = new WebStack(app, 'ScorecardWeb', {
    description: `${description}: dashboard`,
    data,
    api,
    webDist: options.webDist ?? join(REPO_ROOT, 'web', 'dist'),
  });
  const schedules = new SchedulesStack(app, 'ScorecardSchedules', {
    description: `${description}: schedules`,
    data,
    api,
    now: options.now ?? new Date(),
  });
  acknowledgeFrameworkFindings(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  void Aspects;
  return { app, data, api, web, schedules };
}
