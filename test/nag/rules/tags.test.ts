import { CfnResource, Tags } from 'aws-cdk-lib';
import { CfnDataCatalogEncryptionSettings } from 'aws-cdk-lib/aws-glue';
import { CfnEventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { TAG_KEYS } from '../../../lambda/shared/zones';
import { findings, newStack } from '../helpers';

const RULE = 'DataOps-CostAllocationTags';

describe('DataOps-CostAllocationTags', () => {
  test('Noncompliance 1: no tags (one finding per missing key)', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket');
    expect(findings(stack, RULE)).toEqual([
      'Test/rBucket [lakehouse:cost-center]',
      'Test/rBucket [lakehouse:environment]',
      'Test/rBucket [lakehouse:owner]',
    ]);
  });
  test('Noncompliance 2: only the owner tag', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket', { tags: [{ key: TAG_KEYS.owner, value: 'platform' }] });
    expect(findings(stack, RULE)).toEqual(['Test/rBucket [lakehouse:cost-center]', 'Test/rBucket [lakehouse:environment]']);
  });
  test('Noncompliance 3: a resource with a v2 tag manager (event source mapping)', () => {
    const stack = newStack();
    new CfnEventSourceMapping(stack, 'rMapping', { functionName: 'f', eventSourceArn: 'arn:aws:sqs:eu-west-1:1:q' });
    Tags.of(stack).add(TAG_KEYS.owner, 'platform');
    expect(findings(stack, RULE)).toEqual(['Test/rMapping [lakehouse:cost-center]', 'Test/rMapping [lakehouse:environment]']);
  });
  test('Compliance 1: every key applied with Tags.of(app)', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket');
    new CfnEventSourceMapping(stack, 'rMapping', { functionName: 'f', eventSourceArn: 'arn:aws:sqs:eu-west-1:1:q' });
    const app = stack.node.root;
    Tags.of(app).add(TAG_KEYS.environment, 'dev');
    Tags.of(app).add(TAG_KEYS.owner, 'platform');
    Tags.of(app).add(TAG_KEYS.costCenter, 'cc-42');
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 2: stack tags (CloudFormation propagates them)', () => {
    const stack = newStack({
      tags: { [TAG_KEYS.environment]: 'dev', [TAG_KEYS.owner]: 'platform', [TAG_KEYS.costCenter]: 'cc-42' },
    });
    new CfnBucket(stack, 'rBucket');
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 3: resources CDK cannot tag are not applicable', () => {
    const stack = newStack();
    new CfnDataCatalogEncryptionSettings(stack, 'rSettings', { catalogId: '1', dataCatalogEncryptionSettings: {} });
    new CfnResource(stack, 'rCustom', { type: 'Custom::Thing', properties: { ServiceToken: 'arn:provider' } });
    expect(findings(stack, RULE)).toEqual([]);
  });
  test('Compliance 4: the tag keys come from the pack props', () => {
    const stack = newStack();
    new CfnBucket(stack, 'rBucket', { tags: [{ key: 'team', value: 'data' }] });
    expect(findings(stack, RULE, { costAllocationTagKeys: ['team'] })).toEqual([]);
  });
});
