#!/usr/bin/env node
/**
 * The app entry: reads the environment name (`-c env=<name>`, default `dev`) and the destroy flag
 * (`-c lakehouse:destroy=true`) and builds the lakehouse. Everything else is typed props.
 */
import { App } from 'aws-cdk-lib';
import { environmentConfig } from '../lib/config';
import { buildLakehouse } from '../lib/lakehouse-app';
import { reportAcknowledgements, reportCost, reportDataFlow } from '../lib/synth-report';

const app = new App();
const envName = String(app.node.tryGetContext('env') ?? 'dev');
const destroy = String(app.node.tryGetContext('lakehouse:destroy') ?? 'false') === 'true';
buildLakehouse(app, { config: environmentConfig(envName), destroy });
app.synth();
console.error(reportAcknowledgements(app).text);
console.error(reportCost(app) ?? 'Cost estimate: not run (checks off).');
console.error(reportDataFlow(app));
