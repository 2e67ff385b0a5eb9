import { NagMessageLevel } from 'cdk-nag';
import { testMonitoring } from '../../helpers/stacks';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { LakeDatabase } from '../../../constructs/catalog';
import { CuratedModels, loadModelFiles } from '../../../constructs/models';
import { PipelineRole } from '../../../constructs/roles';
import { LakeWorkgroup } from '../../../constructs/workgroups';
import { LakehouseZones } from '../../../constructs/zones';
import { ENVIRONMENTS } from '../../../lib/config';
import { DataOpsChecks, ErrorsOnlyAwsSolutionsChecks, ErrorsOnlyServerlessChecks } from '../../../lib/nag';
import { applyCostAllocationTags } from '../../../lib/tags';
import { SALES } from '../../lambda/models/fixtures';
import { newApp } from '../../nag/helpers';

/** `rule: construct path` of every violation on the construct or its role. */
function violations(report: any): string[] {
  return (report.violations ?? []).flatMap((v: any) =>
    v.violatingResources.filter((r: any) => /\/(Models|Role)\//.test(r.constructPath ?? '')).map((r: any) => `${v.ruleName}: ${r.constructPath}`),
  );
}

test('passes the AwsSolutions, Serverless and DataOps packs, alarm rules included', () => {
  const app = newApp();
  const stack = new Stack(app, 'Test');
  const dev = ENVIRONMENTS.dev;
  applyCostAllocationTags(stack, dev);
  const zones = new LakehouseZones(stack, 'Zones', { environmentName: 'dev', lifecycle: dev.lifecycle, rawObjectLock: dev.rawObjectLock, bootstrapQualifier: dev.bootstrapQualifier });
  const workgroup = new LakeWorkgroup(stack, 'Pipelines', { workgroupName: 'lakehouse-dev-pipelines', description: 'pipelines', resultsZone: zones.zones['query-results'], encryptionKey: zones.key });
  const curatedDatabase = new LakeDatabase(stack, 'Curated', { domain: 'sales', zone: 'curated', owner: 'sales-analytics', description: 'curated' });
  const role = new PipelineRole(stack, 'Role', { environmentName: 'dev', domain: 'sales', stage: 'curated', assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: 'curated models' });
  new CuratedModels(stack, 'Models', {
    domain: SALES,
    models: loadModelFiles(path.join(__dirname, '..', '..', '..', 'lib', 'domains'), 'sales'),
    role,
    workgroup,
    cleanZone: zones.zones.clean,
    curatedZone: zones.zones.curated,
    curatedDatabase,
    lakeKey: zones.key,
    queueKey: new kms.Key(stack, 'QueueKey', { enableKeyRotation: true }),
    logRetention: logs.RetentionDays.ONE_MONTH,
    monitoring: testMonitoring(stack),
    eventBus: new events.EventBus(stack, 'Bus', { eventBusName: 'lakehouse-dev-sales' }),
    scheduleRole: new iam.Role(stack, 'DeliveryRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') }).withoutPolicyUpdates(),
  });
  app.synth();
  expect(violations(new ErrorsOnlyAwsSolutionsChecks(app).validateScope(app))).toEqual([]);
  expect(violations(new ErrorsOnlyServerlessChecks(app).validateScope(app))).toEqual([]);
  // The construct alarms on its function and every queue, so DataOps (alarm rules included) has nothing to report.
  expect(violations(new DataOpsChecks(undefined, { maxBytesScannedCutoffPerQuery: dev.athena.maxBytesScannedCutoffPerQuery, maxLogRetentionDays: dev.maxLogRetentionDays, alarmRuleLevel: NagMessageLevel.ERROR }).validateScope(app))).toEqual([]);
});
