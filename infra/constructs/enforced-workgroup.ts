// An Athena workgroup whose settings clients cannot override: results always land encrypted in the results
// bucket under the workgroup's own prefix, owned by this account, on engine v3, and any one query that would
// scan more than the cutoff is cancelled (a runaway analyst query costs cents, not dollars).

import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface EnforcedWorkGroupProps {
  name: string;
  description: string;
  resultsBucket: s3.IBucket;
  resultsKey: kms.IKey;
  /** Per-query scan cutoff in bytes; Athena's minimum is 10 MB. */
  bytesScannedCutoffPerQuery: number;
}

const MIN_BYTES_SCANNED_CUTOFF = 10 * 1024 * 1024;

export class EnforcedWorkGroup extends Construct {
  readonly workGroup: athena.CfnWorkGroup;
  readonly name: string;
  /** Results of this workgroup's queries, e.g. `athena/analysts/`. */
  readonly resultsPrefix: string;

  constructor(scope: Construct, id: string, props: EnforcedWorkGroupProps) {
    super(scope, id);
    if (props.bytesScannedCutoffPerQuery < MIN_BYTES_SCANNED_CUTOFF) {
      throw new Error(`workgroup ${props.name}: Athena's smallest bytes-scanned cutoff is 10 MB`);
    }
    this.name = props.name;
    this.resultsPrefix = `athena/${props.name}/`;
    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: props.name,
      description: props.description,
      state: 'ENABLED',
      // Deleting the stack must not fail on a workgroup that holds query history.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${props.resultsBucket.bucketName}/${this.resultsPrefix}`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.resultsKey.keyArn },
          expectedBucketOwner: Stack.of(this).account,
        },
      },
    });
  }
}
