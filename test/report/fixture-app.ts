/**
 * The tiny app whose real `validation-report.json` is the report fixture.
 *
 * It uses the project's cdk.json context (so feature flags such as
 * `@aws-cdk/core:annotationsInValidationReport` match `npm run synth`) and registers cdk-nag 3's
 * AwsSolutionsChecks the way bin/app.ts does: as a validation plugin. It produces:
 * - AwsSolutions errors (unencrypted, unlogged, TLS-optional bucket) and a warning (DynamoDB PITR);
 * - an AwsSolutions finding acknowledged on a construct (cdk-nag filters it itself: absent from the report);
 * - a construct annotation warning (the "Construct Annotations" plugin report);
 * - a template-based plugin with a suggested fix, one of whose findings is acknowledged
 *   (the framework moves it to `suppressedViolations`).
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  Annotations,
  App,
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolatingResource,
  Stack,
  Validations,
  aws_dynamodb as dynamodb,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** A plugin that reads synthesized templates, like cfn-guard validators do. */
class NoPublicReadPlugin implements IPolicyValidationPlugin {
  public readonly name = 'TinyPolicy';
  public readonly version = '1.0.0';
  public readonly ruleIds = ['no-public-read'];

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const violatingResources: PolicyViolatingResource[] = [];
    for (const templatePath of context.templatePaths) {
      const template = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
      for (const [logicalId, resource] of Object.entries<{ Type: string; Properties?: Record<string, unknown> }>(template.Resources ?? {})) {
        if (resource.Type === 'AWS::S3::Bucket' && resource.Properties?.AccessControl === 'PublicRead') {
          violatingResources.push({ resourceLogicalId: logicalId, templatePath, locations: ['Properties/AccessControl'] });
        }
      }
    }
    return {
      success: violatingResources.length === 0,
      violations:
        violatingResources.length === 0
          ? []
          : [
              {
                ruleName: 'no-public-read',
                description: 'S3 buckets must not grant public read through a canned ACL.',
                fix: 'Remove AccessControl: PublicRead and grant readers through IAM.',
                severity: 'error',
                violatingResources,
              },
            ],
    };
  }
}

/** Synthesizes the fixture app into `outdir`. Validation fails by design; returns the error message. */
export function synthFixtureApp(outdir: string): string | undefined {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8'));
  const app = new App({ outdir, context: cdkJson.context });
  const stack = new Stack(app, 'Tiny');

  new s3.CfnBucket(stack, 'Unencrypted');
  const logs = new s3.CfnBucket(stack, 'AccessLogs', {
    bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] },
  });
  Validations.of(logs).acknowledge({ id: 'AwsSolutions-S1', reason: 'This bucket receives the access logs; logging it would loop.' });

  new s3.CfnBucket(stack, 'PublicSite', { accessControl: 'PublicRead' });
  const legacy = new s3.CfnBucket(stack, 'LegacyPublic', { accessControl: 'PublicRead' });
  Validations.of(legacy).acknowledge({ id: 'TinyPolicy::no-public-read', reason: 'Legacy download bucket, removal tracked in LAKE-42.' });

  new dynamodb.CfnTable(stack, 'Table', {
    keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
    attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
    billingMode: 'PAY_PER_REQUEST',
  });
  Annotations.of(stack).addWarningV2('lakehouse:fixture-warning', 'A construct warning, as constructs emit them.');

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NoPublicReadPlugin());
  try {
    app.synth();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
