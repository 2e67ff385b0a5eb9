import type { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnProperties, getPath } from '../../cfn';

/** Recrawl behaviours that only crawl what changed. */
export const INCREMENTAL_RECRAWL_BEHAVIORS: readonly string[] = ['CRAWL_NEW_FOLDERS_ONLY', 'CRAWL_EVENT_MODE'];

/**
 * Glue crawlers crawl incrementally: `RecrawlPolicy.RecrawlBehavior` is CRAWL_NEW_FOLDERS_ONLY or
 * CRAWL_EVENT_MODE (the default, CRAWL_EVERYTHING, rescans every object on every run).
 * @param node the CfnResource to check
 */
export function GlueCrawlerRecrawlPolicy(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Glue::Crawler') return NagRuleCompliance.NOT_APPLICABLE;
  const behavior = getPath(cfnProperties(node), 'RecrawlPolicy', 'RecrawlBehavior');
  return typeof behavior === 'string' && INCREMENTAL_RECRAWL_BEHAVIORS.includes(behavior)
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}
