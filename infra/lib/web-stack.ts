// Web: the dashboard's bucket and the CloudFront distribution in front of it (origin access control: the
// bucket answers CloudFront only). /api/* goes through the same distribution to the HTTP API, so the
// dashboard calls its own origin and needs no CORS.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AWS_CONNECT_SOURCES, dashboardCsp } from '@scorecard/functions/api/security-headers.ts';
import { CfnOutput, Duration, Fn, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { SecureBucket } from '../constructs/secure-bucket.ts';
import type { ApiStack } from './api-stack.ts';
import type { DataStack } from './data-stack.ts';
import { bucketName } from './store-layout.ts';

/**
 * The viewer-request function of the dashboard's behaviour (CloudFront Functions, JavaScript runtime 2.0): a
 * path without a file extension is a page of the dashboard and gets index.html; files (assets, cognito.json)
 * pass as they are, and a missing one stays a 403/404. It is attached to the default behaviour only, so /api/*
 * never reaches it. Exported so that the tests run this very text.
 */
export const DASHBOARD_ROUTING_CODE = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

export interface WebStackProps extends StackProps {
  data: DataStack;
  api: ApiStack;
  /** The built dashboard (web/dist). Without an index.html there, the stack deploys the bucket empty. */
  webDist: string;
}

export class WebStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    // Static, public-by-design assets: S3-managed keys keep OAC simple (no KMS key policy for CloudFront).
    this.bucket = new SecureBucket(this, 'Dashboard', {
      bucketName: bucketName('dashboard'),
      accessLogs: props.data.buckets.accessLogs,
      noncurrentVersionDays: 30,
    }).bucket;

    // CloudFront standard logs need a bucket with ACLs (object-writer ownership); everything else stays secure.
    const cdnLogs = new SecureBucket(this, 'CdnLogs', {
      accessLogs: props.data.buckets.accessLogs,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      versioned: false,
      lifecycleRules: [{ id: 'expire-cdn-logs', expiration: Duration.days(400) }],
    }).bucket;

    // https://<id>.execute-api.<region>.amazonaws.com → the host name.
    const apiHost = Fn.select(2, Fn.split('/', props.api.httpApi.apiEndpoint));
    // The dashboard's security headers, the same policy the local server sends (functions/src/api/security-headers.ts).
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'DashboardHeaders', {
      comment: 'Commune Scorecard dashboard: CSP, no framing, no sniffing, no referrer, HSTS',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: dashboardCsp(AWS_CONNECT_SOURCES), override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
    });
    const dashboardRouting = new cloudfront.Function(this, 'DashboardRouting', {
      comment: 'Dashboard paths without a file extension answer index.html (never /api/*)',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(DASHBOARD_ROUTING_CODE),
    });
    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: 'Commune Scorecard dashboard',
      defaultRootObject: 'index.html',
      // Includes edge locations in Asia (Vietnam's users) at a lower price than "all".
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // No minimumProtocolVersion: without a custom certificate CloudFront ignores it (see the CFR4 acknowledgement).
      enableLogging: true,
      logBucket: cdnLogs,
      logFilePrefix: 'cdn/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        compress: true,
        functionAssociations: [
          { eventType: cloudfront.FunctionEventType.VIEWER_REQUEST, function: dashboardRouting },
        ],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new origins.HttpOrigin(apiHost, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
          }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
      // No CustomErrorResponses: they apply to every behaviour, /api/* included, and would turn an API 403/404
      // into the dashboard's index.html with 200, cached (issue 15, item 3). The dashboard's own paths are
      // rewritten by the viewer-request function on the default behaviour only.
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction: provincial officials use the dashboard while travelling; every data route needs a Cognito token with MFA.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'No WAF web ACL by default (~USD 6+/month): the API is throttled per stage and authenticated by Cognito JWTs. Attach a web ACL with the AWS managed rules when the deployment is public beyond the province.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, which fixes the minimum protocol at TLSv1; TLSv1.2_2021 applies as soon as a domain and ACM certificate are configured (infra/README.md).',
    });

    if (existsSync(join(props.webDist, 'index.html'))) {
      const deployment = new s3deploy.BucketDeployment(this, 'DashboardFiles', {
        sources: [
          s3deploy.Source.asset(props.webDist),
          // The dashboard's sign-in settings for the cloud (local mode asks GET /api/v1/auth/config instead).
          s3deploy.Source.jsonData('cognito.json', {
            region: props.api.region,
            userPoolId: props.api.userPool.userPoolId,
            clientId: props.api.userPoolClient.userPoolClientId,
            // The hosted UI (web/src/lib/cognito.ts): authorization code + PKCE back to this dashboard.
            domain: props.api.userPoolDomain.baseUrl(),
          }),
        ],
        // By name, so the deployment's grant reads `commune-scorecard-dashboard-…/*` (acknowledged below).
        destinationBucket: s3.Bucket.fromBucketName(this, 'DashboardByName', bucketName('dashboard')),
        distribution: this.distribution,
        distributionPaths: ['/*'],
        memoryLimit: 512,
      });
      deployment.node.addDependency(this.bucket);
    }

    new CfnOutput(this, 'DashboardUrl', { value: `https://${this.distribution.distributionDomainName}` });
  }
}
