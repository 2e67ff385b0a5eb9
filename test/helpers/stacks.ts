import { Stack } from 'aws-cdk-lib';
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
