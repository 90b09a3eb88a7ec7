// Least privilege along the store's key layout: grants name a bucket and the key prefixes a function needs,
// never a whole bucket. Reading and writing are separate grants, so "ingest writes raw/ only" is visible here.
// A prefix grant is a wildcard by nature (`raw/*`); each one is acknowledged to cdk-nag right here, with the
// exact prefix, so no broader wildcard can slip through unacknowledged.
import { Aws, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';
import { bucketName, nagBucketArn, type ScorecardBucket } from '../lib/store-layout.ts';

type Access = 'read' | 'write' | 'delete' | 'purge' | 'bypass-retention';

const ACTIONS: Record<Access, string[]> = {
  read: ['s3:GetObject'],
  // No s3:PutObjectAcl, no retention or legal-hold changes: a writer adds objects, nothing more.
  write: ['s3:PutObject', 's3:AbortMultipartUpload'],
  delete: ['s3:DeleteObject'],
  // Removing a version for good (what a versioned bucket keeps after an overwrite or a delete): the erasure,
  // and the refresh retiring a marts generation. Listing versions comes with it (bucket-wide, as listing keys).
  purge: ['s3:DeleteObjectVersion'],
  // Object Lock's governance mode gives way to this permission with the bypass header: the erasure role's, on
  // raw/ alone (tests/infra/stacks.test.ts checks no other principal holds it).
  'bypass-retention': ['s3:BypassGovernanceRetention'],
};

export function bucketArn(bucket: ScorecardBucket): string {
  return `arn:${Aws.PARTITION}:s3:::${bucketName(bucket)}`;
}

export interface PrefixGrant {
  grantee: iam.IGrantable & IConstruct;
  bucket: ScorecardBucket;
  /** Key prefixes ending in `/`, e.g. `raw/`. */
  prefixes: readonly string[];
  access: readonly Access[];
  /** The bucket's KMS key, if it has one. */
  key?: kms.IKey;
  /** Why this principal needs these prefixes (goes into the cdk-nag acknowledgement). */
  why: string;
}

export function grantPrefixes(g: PrefixGrant): void {
  const p = g.grantee.grantPrincipal;
  p.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: g.access.flatMap((a) => ACTIONS[a]),
      resources: g.prefixes.map((x) => `${bucketArn(g.bucket)}/${x}*`),
    }),
  );
  for (const x of g.prefixes) {
    Validations.of(g.grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagBucketArn(g.bucket)}/${x}*]`,
      reason: `Objects are keyed by year, commune and id under ${x} (the store's key layout); ${g.access.join('+')} is limited to that prefix. ${g.why}`,
    });
  }
  // Listing is part of reading, and S3 answers a GET/HEAD of a missing key with 404 (not 403) only for a
  // caller allowed s3:ListBucket *without* an s3:prefix condition (a GET carries no prefix). Key names carry
  // no personal data (year, commune code, ids), so listing names is granted bucket-wide; reading is not.
  if (g.access.includes('read')) {
    p.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucketArn(g.bucket)] }),
    );
  }
  if (g.access.includes('purge')) {
    p.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucketVersions'], resources: [bucketArn(g.bucket)] }),
    );
  }
  if (g.key) {
    const kmsActions = [
      ...(g.access.includes('read') ? ['kms:Decrypt'] : []),
      ...(g.access.includes('write') ? ['kms:GenerateDataKey', 'kms:Decrypt'] : []),
    ];
    if (kmsActions.length > 0) {
      p.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: [...new Set(kmsActions)], resources: [g.key.keyArn] }),
      );
    }
  }
}
