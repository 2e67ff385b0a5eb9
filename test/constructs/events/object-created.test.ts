import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { objectCreatedPattern } from '../../../constructs/events';
import { testApp } from '../../helpers/app';

/** The pattern as CloudFormation gets it, from a rule. */
function rendered(props: Omit<Parameters<typeof objectCreatedPattern>[0], 'buckets'>, bucketNames = ['raw-bucket']) {
  const stack = new Stack(testApp(), 'Test');
  const buckets = bucketNames.map((name) => s3.Bucket.fromBucketName(stack, name, name));
  new events.Rule(stack, 'Rule', { eventPattern: objectCreatedPattern({ buckets, ...props }) });
  return (Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule'))[0] as any).Properties.EventPattern;
}

describe('objectCreatedPattern', () => {
  test('S3 "Object Created" of the buckets under any of the prefixes, any size', () => {
    expect(rendered({ prefixes: ['sales/orders/', 'sales/refunds/'] }, ['raw-bucket', 'clean-bucket'])).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: ['raw-bucket', 'clean-bucket'] }, object: { key: [{ prefix: 'sales/orders/' }, { prefix: 'sales/refunds/' }] } },
    });
  });

  test('by size: at most, above, or both in one numeric range', () => {
    const size = (p: { sizeAbove?: number; sizeAtMost?: number }) => rendered({ prefixes: ['sales/'], ...p }).detail.object.size;
    expect(size({ sizeAtMost: 100 })).toEqual([{ numeric: ['<=', 100] }]);
    expect(size({ sizeAbove: 100 })).toEqual([{ numeric: ['>', 100] }]);
    expect(size({ sizeAbove: 10, sizeAtMost: 100 })).toEqual([{ numeric: ['>', 10, '<=', 100] }]);
  });
});
