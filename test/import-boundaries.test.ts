import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkBoundaries, describeViolations, importsOf, layerOf, sourceFiles, type SourceText } from './import-boundaries';

const ROOT = join(__dirname, '..');

describe('import boundaries of the tree', () => {
  const files = sourceFiles(ROOT);

  test('bin → lib → constructs → lambda/shared; handlers import only lambda/shared and themselves; no CDK in lambda/; test/ imported only by tests', () => {
    expect(describeViolations(checkBoundaries(files))).toBe('');
  });

  test('every source file is in a layer, and every layer has files (the check is not vacuous)', () => {
    const layers = new Set(files.map((f) => layerOf(f.path)));
    expect(files.filter((f) => layerOf(f.path) === 'unknown').map((f) => f.path)).toEqual([]);
    for (const layer of ['bin', 'lib', 'constructs', 'lambda/shared', 'lambda/transform', 'lambda/bigfile', 'lambda/models', 'lambda/janitor', 'test']) expect(layers).toContain(layer);
  });
});

describe('checkBoundaries', () => {
  const check = (path: string, text: string) => describeViolations(checkBoundaries([{ path, text }]));

  test.each([
    ['lambda/bigfile/core/convert.ts', "import { transformFile } from '../../transform/core/transform';", 'lambda/bigfile imports lambda/transform; a handler folder imports only lambda/shared and itself'],
    ['lambda/models/core/batch.ts', "import type { Engine } from '../../transform/core/engine';", 'lambda/models imports lambda/transform'],
    ['lambda/shared/pipeline/outputs.ts', "export { handler } from '../../transform/handler';", 'lambda/shared imports lambda/transform; lambda/shared may import only lambda/shared'],
    ['lambda/transform/handler.ts', "import * as s3 from 'aws-cdk-lib/aws-s3';", 'function code imports the CDK (aws-cdk-lib)'],
    ['lambda/shared/zones.ts', "import type { Construct } from 'constructs';", 'function code imports the CDK (constructs)'],
    ['constructs/transforms/big-file-route.ts', "import { BIG_FILE_TABLE_MARKER } from '../../lambda/bigfile/core/sql';", 'constructs imports lambda/bigfile; constructs may import only constructs, lambda/shared'],
    ['constructs/zones/lake-zone.ts', "import { Config } from '../../lib/config';", 'constructs imports lib'],
    ['lib/config.ts', "import '../bin/app';", 'lib imports bin'],
    ['lib/docs/zone-table.ts', "import { processS3Object } from '../../lambda/transform/handler';", 'lib imports lambda/transform'],
    ['lib/cli/local.ts', "import { transformFile } from '../../lambda/transform/core/transform';", 'lib imports lambda/transform'],
    ['constructs/domain/validate.ts', "import { ORDERS } from '../../test/lambda/transform/helpers';", 'imports from test/; only tests may'],
    ['lambda/janitor/core.ts', "const m = require('../models/handler');", 'lambda/janitor imports lambda/models'],
    ['lambda/janitor/core.ts', "export async function f() { return import('../transform/handler'); }", 'lambda/janitor imports lambda/transform'],
    ['lambda/janitor/core.ts', "import m = require('../bigfile/handler');", 'lambda/janitor imports lambda/bigfile'],
    ['lambda/janitor/core.ts', "let t: typeof import('../bigfile/handler');", 'lambda/janitor imports lambda/bigfile'],
    ['scripts/tool.ts', "import { x } from '../lib/config';", 'scripts/tool.ts is in no layer'],
  ])('fails if %s says %p', (path, text, problem) => {
    expect(check(path, text)).toContain(problem);
  });

  test('reports the file, line and specifier', () => {
    expect(check('lambda/models/handler.ts', "import { a } from '../shared/dataset';\n\nimport { b } from '../transform/core/engine';")).toBe(
      "lambda/models/handler.ts:3: '../transform/core/engine': lambda/models imports lambda/transform; a handler folder imports only lambda/shared and itself",
    );
  });

  test.each([
    ['lambda/transform/handler.ts', "import { parseMessage } from '../shared/pipeline/events';\nimport { transformFile } from './core/transform';\nimport { S3Client } from '@aws-sdk/client-s3';"],
    ['constructs/transforms/dataset-transform.ts', "import { TRANSFORM_ENV } from '../../lambda/shared/contracts/transform-env';\nimport { Duration } from 'aws-cdk-lib';"],
    ['lib/domain-stack.ts', "import { DatasetTransform } from '../constructs/transforms';\nimport { contractOf } from '../lambda/shared/dataset';"],
    ['bin/app.ts', "import { buildLakehouse } from '../lib/lakehouse-app';\nimport { ZONE_NAMES } from '../lambda/shared/zones';"],
    ['lib/cli/local.ts', "import { processS3Object } from '../../lambda/transform/handler';"],
    ['lib/docs/access-table.ts', "import cdkJson from '../../cdk.json';"],
    ['test/lambda/bigfile/helpers.ts', "import { prepareStaging } from '../../../lambda/bigfile/core/prepare';\nimport { ORDERS } from '../transform/helpers';"],
    // Not imports: a comment and a string (what a regular expression would take for one).
    ['lambda/bigfile/handler.ts', "// import { x } from '../transform/handler';\nconst text = \"import { y } from '../models/handler'\";\nexport const z = `from '../janitor/core'`;"],
  ])('allows %s saying %p', (path, text) => {
    expect(check(path, text)).toBe('');
  });

  test('every form of import is found', () => {
    const file: SourceText = {
      path: 'lib/x.ts',
      text: [
        "import a from 'a';",
        "import type { B } from 'b';",
        "export * from 'c';",
        "export { d } from 'd';",
        "import e = require('e');",
        "const f = require('f');",
        "const g = import('g');",
        "let h: typeof import('h');",
        "import 'i';",
      ].join('\n'),
    };
    expect(importsOf(file)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((specifier, i) => ({ specifier, line: i + 1 })));
  });

  test('fails on a violation written into a tree on disk', () => {
    const root = mkdtempSync(join(tmpdir(), 'boundaries-'));
    try {
      const put = (path: string, text: string) => {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      };
      put('lambda/shared/keys.ts', 'export const K = 1;\n');
      put('lambda/transform/handler.ts', "import { K } from '../shared/keys';\nexport const handler = () => K;\n");
      put('lambda/bigfile/handler.ts', "import { handler as transform } from '../transform/handler';\nexport const handler = transform;\n");
      put('lambda/layers/duckdb/nodejs/node_modules/x/index.ts', "import 'aws-cdk-lib';\n");
      expect(describeViolations(checkBoundaries(sourceFiles(root)))).toBe(
        "lambda/bigfile/handler.ts:1: '../transform/handler': lambda/bigfile imports lambda/transform; a handler folder imports only lambda/shared and itself",
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
