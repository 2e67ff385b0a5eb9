import { Tags } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { TAG_KEYS } from '../lambda/shared/zones';
import { EnvironmentConfig } from './config';

/** Adds the cost-allocation tags to every taggable resource under `scope`. */
export function applyCostAllocationTags(scope: IConstruct, config: EnvironmentConfig): void {
  Tags.of(scope).add(TAG_KEYS.environment, config.name);
  Tags.of(scope).add(TAG_KEYS.owner, config.owner);
  Tags.of(scope).add(TAG_KEYS.costCenter, config.costCenter);
}
