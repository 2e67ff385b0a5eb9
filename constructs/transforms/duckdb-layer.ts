import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { LakehouseError } from '../errors';

/** Where the linux-arm64 DuckDB layer is installed by `npm ci` (root postinstall). */
export const DUCKDB_LAYER_DIR = path.join(__dirname, '..', '..', 'lambda', 'layers', 'duckdb');

/** Modules the layer provides; function bundles leave them external. */
export const DUCKDB_MODULES = ['@duckdb/node-api', '@duckdb/node-bindings', '@duckdb/node-bindings-linux-arm64'];

/**
 * DuckDB for Lambda on arm64, as a layer (`/opt/nodejs/node_modules`). Built offline from the
 * layer project that `npm ci` installs for linux/arm64; no Docker.
 */
export class DuckDbLayer extends Construct {
  public readonly layer: lambda.LayerVersion;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const binding = path.join(DUCKDB_LAYER_DIR, 'nodejs', 'node_modules', '@duckdb', 'node-bindings-linux-arm64');
    if (!fs.existsSync(binding)) {
      throw new LakehouseError({ code: 'LH080', scope: this, value: binding, problem: 'the linux-arm64 DuckDB layer is not installed', fix: 'run `npm ci` (its postinstall installs lambda/layers/duckdb for linux/arm64)' });
    }
    this.layer = new lambda.LayerVersion(this, 'Layer', {
      code: lambda.Code.fromAsset(DUCKDB_LAYER_DIR, { exclude: ['README.md', 'nodejs/package.json', 'nodejs/package-lock.json', 'nodejs/node_modules/.package-lock.json'] }),
      compatibleArchitectures: [lambda.Architecture.ARM_64],
      compatibleRuntimes: [lambda.Runtime.NODEJS_24_X],
      description: 'DuckDB (@duckdb/node-api) for linux-arm64',
    });
  }
}
