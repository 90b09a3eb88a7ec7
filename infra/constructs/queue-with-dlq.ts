// An SQS queue with its dead-letter queue and an alarm on the DLQ's depth: no async path of the product drops
// a message silently. Both queues are encrypted (SQS-managed keys) and refuse plain HTTP.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface QueueWithDlqProps {
  /** At least six times the consumer's timeout (AWS guidance for Lambda event sources). */
  visibilityTimeout: Duration;
  /** Receives before a message moves to the DLQ. */
  maxReceiveCount?: number;
  alarmTopic: sns.ITopic;
}

/** A DLQ on its own: every other async path (schedules, async Lambda invokes) parks failures in one of these. */
export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly depthAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: { alarmTopic: sns.ITopic }) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: time for a person to look before a failed message is gone.
      retentionPeriod: Duration.days(14),
    });
    this.depthAlarm = new cloudwatch.Alarm(this, 'DepthAlarm', {
      alarmDescription: `Messages are waiting in the dead-letter queue ${id}: an async step failed after its retries.`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.depthAlarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
  }
}

export class QueueWithDlq extends Construct {
  readonly queue: sqs.Queue;
  readonly dlq: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    this.dlq = new DeadLetterQueue(this, 'Dlq', { alarmTopic: props.alarmTopic });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: props.visibilityTimeout,
      deadLetterQueue: { queue: this.dlq.queue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
  }
}
