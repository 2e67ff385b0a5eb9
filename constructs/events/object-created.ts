import * as events from 'aws-cdk-lib/aws-events';
import * as s3 from 'aws-cdk-lib/aws-s3';

export interface ObjectCreatedPatternProps {
  /** The buckets whose objects match (any of them). */
  readonly buckets: readonly s3.IBucket[];
  /** The key prefixes that match (any of them). */
  readonly prefixes: readonly string[];
  /** Only objects strictly larger than this many bytes. @default - no lower bound */
  readonly sizeAbove?: number;
  /** Only objects of at most this many bytes. @default - no upper bound */
  readonly sizeAtMost?: number;
}

/**
 * The EventBridge pattern of S3 "Object Created" events (buckets with EventBridge notifications on,
 * as every zone has) for objects under `prefixes` in `buckets`, optionally by size. One definition
 * for the domain bus's forwarding rule, the dataset transforms, the big-file route and the curated
 * models' triggers.
 */
export function objectCreatedPattern(props: ObjectCreatedPatternProps): events.EventPattern {
  const size = [...(props.sizeAbove !== undefined ? ['>', props.sizeAbove] : []), ...(props.sizeAtMost !== undefined ? ['<=', props.sizeAtMost] : [])];
  return {
    source: ['aws.s3'],
    detailType: ['Object Created'],
    detail: {
      bucket: { name: props.buckets.map((b) => b.bucketName) },
      object: {
        key: props.prefixes.map((prefix) => ({ prefix })),
        ...(size.length > 0 ? { size: [{ numeric: size }] } : {}),
      },
    },
  };
}
