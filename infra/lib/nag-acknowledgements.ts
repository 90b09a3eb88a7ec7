// cdk-nag acknowledgements for resources the CDK framework creates on our behalf: the S3 bucket-notification
// handler and the dashboard's bucket-deployment function. Their code and policies are CDK's, not ours; each
// acknowledgement says why it is acceptable. Our own constructs acknowledge their findings where they are built.
import { type App, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { nagBucketArn } from './store-layout.ts';

const BASIC_EXECUTION =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

function all(root: IConstruct): IConstruct[] {
  return [root, ...root.node.children.flatMap(all)];
}

export function acknowledgeFrameworkFindings(app: App): void {
  for (const c of all(app)) {
    if (c.node.id.startsWith('BucketNotificationsHandler')) {
      Validations.of(c).acknowledge({
        id: BASIC_EXECUTION,
        reason:
          "CDK's bucket-notification handler only runs at deploy time to set the curated bucket's notification configuration; the managed policy grants it CloudWatch Logs only.",
      });
    }
    if (c.node.id.startsWith('Custom::CDKBucketDeployment')) {
      const why =
        "CDK's BucketDeployment copies the built dashboard (web/dist) from the CDK asset bucket into the dashboard bucket at deploy time";
      Validations.of(c).acknowledge(
        { id: BASIC_EXECUTION, reason: `${why}; the managed policy grants it CloudWatch Logs only.` },
        { id: 'AwsSolutions-L1', reason: `${why}; its runtime is chosen by aws-cdk-lib and moves with it.` },
        ...['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'].map((a) => ({
          id: `AwsSolutions-IAM5[Action::${a}]`,
          reason: `${why}; CDK's grantReadWrite action groups, limited to the two buckets below.`,
        })),
        {
          id: `AwsSolutions-IAM5[Resource::${nagBucketArn('dashboard')}/*]`,
          reason: `${why}; it replaces every file of the dashboard bucket, and only that bucket.`,
        },
        {
          id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
          reason: `${why}; it reads the zipped build from the CDK bootstrap asset bucket.`,
        },
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: `${why}; CloudFront invalidations (cloudfront:CreateInvalidation) cannot be scoped to a distribution ARN by CDK's handler.`,
        },
      );
    }
  }
}
