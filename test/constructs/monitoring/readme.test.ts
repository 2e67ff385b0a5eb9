import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import {
  AlarmTopic,
  DEFAULT_MONITORING_THRESHOLDS as D,
  DatasetTransformMonitoring,
  DeadLetterQueueMonitoring,
  IMonitor,
  JanitorMonitoring,
  ScheduleGroupMonitoring,
  StateMachineMonitoring,
  WorkgroupMonitoring,
} from '../../../constructs/monitoring';
import { inlineFunction, monitoringStack, queue } from './helpers';

const stateMachine = (stack: import('aws-cdk-lib').Stack) => new sfn.StateMachine(stack, 'StateMachine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });

const README = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
/** The first column of the alarm table: the `<what>` of each documented alarm. */
const DOCUMENTED = new Set([...README.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]));

describe('README.md alarm table', () => {
  test('documents every alarm the constructs create (by the last part of its name)', () => {
    const { stack, options } = monitoringStack();
    const monitors: [string, IMonitor][] = [
      [
        'dev-sales-orders-',
        new DatasetTransformMonitoring(stack, 'Orders', {
          ...options,
          domain: 'sales',
          dataset: 'orders',
          freshnessSlaHours: 6,
          maxReceiveCount: 5,
          queue: queue(stack, 'Q'),
          deadLetterQueue: queue(stack, 'D'),
          handler: { function: inlineFunction(stack), timeout: Duration.minutes(5) },
        }),
      ],
      ['dev-sales-big-files-', new StateMachineMonitoring(stack, 'Sm', { ...options, domain: 'sales', dataset: 'big-files', stateMachine: stateMachine(stack) })],
      ['dev-platform-wg-', new WorkgroupMonitoring(stack, 'Wg', { ...options, workgroupName: 'wg', dailyScanBudgetBytes: 1 })],
      ['dev-platform-sandbox-janitor-', new JanitorMonitoring(stack, 'Janitor', { ...options, deadLetterQueue: queue(stack, 'JD') })],
      ['dev-sales-events-', new DeadLetterQueueMonitoring(stack, 'Forward', { ...options, domain: 'sales', dataset: 'events', label: 'forward-dlq', queue: queue(stack, 'F') })],
      ['dev-platform-schedules-', new ScheduleGroupMonitoring(stack, 'Schedules', { ...options, scheduleGroup: new scheduler.ScheduleGroup(stack, 'Group') })],
      ['dev-platform-alarm-topic-', new AlarmTopic(stack, 'AlarmTopic', { environmentName: 'dev', encryptionKey: new kms.Key(stack, 'K'), emails: ['a@example.com'] }).deliveryFailuresMonitoring],
    ];
    const whats = monitors.flatMap(([prefix, m]) => m.alarmNames.map((name) => name.slice(prefix.length).replace(/^(transform|state-machine)-/, '<label>-')));
    expect(whats.length).toBe(16);
    const undocumented = whats.filter((what) => !DOCUMENTED.has(what));
    expect(undocumented).toEqual([]);
  });

  test('states the default thresholds the code uses', () => {
    for (const text of [
      `> **${D.functionErrors}** in 5 min`,
      `> **${D.durationTimeoutFraction * 100} %** of its timeout`,
      `clamp(${D.queueAgeSlaFraction} × SLA, ${D.queueAgeFloorSeconds / 60} min, ${D.queueAgeCapSeconds / 3600} h)`,
      `> **${D.deadLetterQueueMessages}** (5 min)`,
      `> **${D.quarantineRatio}** over **${D.quarantineRatioPeriodMinutes} min**`,
      `ceil(SLA) + ${D.freshnessGraceHours}** hours`,
      `each of the last ${D.janitorMaxHoursWithoutRun}** hours`,
    ]) {
      expect([text, README.includes(text)]).toEqual([text, true]);
    }
  });
});
