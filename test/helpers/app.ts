import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps } from 'aws-cdk-lib';

/** The context of cdk.json (feature flags included), so tests build what `npm run synth` builds. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'),
).context;

/**
 * A fresh App with cdk.json's context. For speed, the CloudFormation template validator is off,
 * function code is not bundled (`aws:cdk:bundling-stacks` = []) and assets are not copied;
 * `npm run synth` does all three.
 */
export function testApp(props: AppProps = {}): App {
  return new App({
    ...props,
    context: {
      ...CDK_JSON_CONTEXT,
      '@aws-cdk/core:validateAgainstDefaultRules': false,
      'aws:cdk:bundling-stacks': [],
      // Reference assets in place instead of copying them (the DuckDB layer is 60+ MB) into each test's outdir.
      'aws:cdk:disable-asset-staging': true,
      ...(props.context ?? {}),
    },
  });
}
