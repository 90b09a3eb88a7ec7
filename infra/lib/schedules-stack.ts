// Schedules: the meeting packs fall due at instants the plan file defines (exportSchedule(PLAN)); EventBridge
// Scheduler invokes the export function at each, with retries and a DLQ. Compaction runs nightly.

import { type DueExport, exportSchedule, PLAN, type Plan } from '@scorecard/data-contracts/plan.ts';
import {
  Annotations,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  TimeZone,
  Validations,
} from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import { DeadLetterQueue } from '../constructs/queue-with-dlq.ts';
import { functionName, nagFunctionArn } from '../constructs/scorecard-function.ts';
import type { ApiStack } from './api-stack.ts';
import type { DataStack } from './data-stack.ts';

/** A failed invocation is retried for up to a day (185 attempts is Scheduler's maximum). */
const SCHEDULE_RETRY = { maxEventAge: Duration.hours(24), retryAttempts: 185 };

/** The meeting packs still to come at `now`: a one-time schedule whose instant has passed would never fire. */
export function upcomingExports(plan: Plan, now: Date): { name: string; due: DueExport }[] {
  return exportSchedule(plan)
    .filter((d) => d.due.getTime() > now.getTime())
    .map((d) => ({ name: `export-${d.meeting}-${d.year}`, due: d }));
}

/** The nightly compaction runs, in the plan's zone: [schedule name, hour, minute, description]. */
export const COMPACTION_RUNS = [
  ['compaction-nightly', '2', '30', "Merge the day's small Parquet files, at night in the plan's zone"],
  [
    'compaction-sweep',
    '3',
    '15',
    'Delete the inputs of the 02:30 compaction once past their 30-minute grace',
  ],
] as const;

export interface SchedulesStackProps extends StackProps {
  data: DataStack;
  api: ApiStack;
  plan?: Plan;
  /** Instants before this are not scheduled (a one-time schedule in the past would never fire). */
  now: Date;
}

export class SchedulesStack extends Stack {
  readonly exportSchedules: scheduler.Schedule[] = [];
  readonly compactionSchedules: scheduler.Schedule[] = [];
  readonly dlq: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: SchedulesStackProps) {
    super(scope, id, props);
    const plan = props.plan ?? PLAN;
    this.addStackDependency(props.api, 'the functions are addressed by their fixed names');
    this.dlq = new DeadLetterQueue(this, 'ScheduleDlq', { alarmTopic: props.data.alarmTopic });
    Validations.of(this.dlq.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter queue of the schedules (Scheduler's DeadLetterConfig); a DLQ of a DLQ adds nothing. Its depth raises an alarm.",
    });
    // Imported by name rather than by reference: the grant then reads `function:commune-scorecard-export`.
    const exportFn = lambda.Function.fromFunctionName(this, 'ExportFunction', functionName('export'));
    const compactionFn = lambda.Function.fromFunctionName(
      this,
      'CompactionFunction',
      functionName('compaction'),
    );
    for (const [fn, name] of [
      [exportFn, 'export'],
      [compactionFn, 'compaction'],
    ] as const) {
      void fn;
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagFunctionArn(name)}:*]`,
        reason: `Scheduler's target role may invoke ${functionName(name)} and its versions/aliases (the :* suffix CDK adds); nothing else.`,
      });
    }
    // Named by CloudFormation and deleted with the stack (it holds only schedules this stack creates): a first
    // deploy that fails can be run again.
    const group = new scheduler.ScheduleGroup(this, 'Group', { removalPolicy: RemovalPolicy.DESTROY });

    const upcoming = upcomingExports(plan, props.now);
    for (const d of exportSchedule(plan)) {
      if (!upcoming.some((u) => u.due.meeting === d.meeting && u.due.year === d.year)) {
        Annotations.of(this).addInfo(
          `export-${d.meeting}-${d.year} fell due at ${d.due.toISOString()}, before this synth's clock: not scheduled (produce it with POST /api/v1/exports).`,
        );
      }
    }
    for (const { name, due } of upcoming) {
      this.exportSchedules.push(
        new scheduler.Schedule(this, name, {
          scheduleName: name,
          scheduleGroup: group,
          description: `Meeting pack ${due.meeting} ${due.year}, due ${due.due.toISOString()} (plan ${plan.plan_id})`,
          schedule: scheduler.ScheduleExpression.at(due.due, TimeZone.ETC_UTC),
          target: new targets.LambdaInvoke(exportFn, {
            input: scheduler.ScheduleTargetInput.fromObject({
              source: 'schedule',
              meeting: due.meeting,
              year: due.year,
              as_of: due.due.toISOString(),
              plan_id: plan.plan_id,
            }),
            deadLetterQueue: this.dlq.queue,
            ...SCHEDULE_RETRY,
          }),
        }),
      );
    }

    // Compaction (functions/src/entry/lambda/cloud-compaction.ts): every plan year up to the current one. The run at
    // 02:30 merges the day's small files; its inputs may be deleted only 30 minutes later (Athena's query
    // timeout), so a second run at 03:15 deletes them the same night (and merges whatever committed since).
    for (const [name, hour, minute, description] of COMPACTION_RUNS) {
      this.compactionSchedules.push(
        new scheduler.Schedule(this, name, {
          scheduleName: name,
          scheduleGroup: group,
          description,
          schedule: scheduler.ScheduleExpression.cron({ hour, minute, timeZone: TimeZone.of(plan.timezone) }),
          target: new targets.LambdaInvoke(compactionFn, {
            input: scheduler.ScheduleTargetInput.fromObject({ source: 'schedule', job: 'compaction' }),
            deadLetterQueue: this.dlq.queue,
            // Tonight's data is still there tomorrow: a run that could not start within 6 h waits for the next.
            maxEventAge: Duration.hours(6),
            retryAttempts: 3,
          }),
        }),
      );
    }
  }
}
