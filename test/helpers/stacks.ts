import { Stack } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { MonitoringOptions } from '../../constructs/monitoring';
import { LakehouseZones } from '../../constructs/zones';
import { ENVIRONMENTS } from '../../lib/config';
import { testApp } from './app';

/** A fresh stack holding the dev zones. */
export function zonesStack(overrides: Partial<ConstructorParameters<typeof LakehouseZones>[2]> = {}): { stack: Stack; zones: LakehouseZones } {
  const stack = new Stack(testApp(), 'Test');
  const dev = ENVIRONMENTS.dev;
  const zones = new LakehouseZones(stack, 'Zones', {
    environmentName: 'dev',
    lifecycle: dev.lifecycle,
    rawObjectLock: dev.rawObjectLock,
    ...overrides,
  });
  return { stack, zones };
}

/** Monitoring options whose alarms go to a fresh SNS topic in `stack`. */
export function testMonitoring(stack: Stack): MonitoringOptions {
  return { environmentName: 'dev', alarmAction: new SnsAction(new Topic(stack, 'TestAlarmTopic')) };
}
