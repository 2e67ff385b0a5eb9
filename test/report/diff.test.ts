/** The diff against a base, on the hand-written fixtures in fixtures/diff (see fixtures/README.md). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { diffAccessMatrices, diffSynthOutputs } from '../../lib/report/diff';
import { readReportInputs } from '../../lib/report/read';
import { renderReport } from '../../lib/report/render';

const BASE = path.join(__dirname, 'fixtures', 'diff', 'base');
const HEAD = path.join(__dirname, 'fixtures', 'diff', 'head');

test('lists the granted and the revoked cells with principal, zone, action and prefix', () => {
  const d = diffAccessMatrices(BASE, HEAD);
  expect(d.granted).toBe(2);
  expect(d.revoked).toBe(1);
  expect(d.changes.map((c) => `${c.change} ${c.principal} ${c.zone} ${c.action} ${c.prefix}`)).toEqual([
    'granted Lakehouse-dev-Domain-sales/IngestRole clean s3:PutObject (overwrite) sales',
    'granted Lakehouse-dev-Platform/Analystanalytics raw s3:GetObject *',
    'revoked Lakehouse-dev-Domain-sales/TransformRole raw s3:GetObject sales',
  ]);
});

test('calls out new writes on clean or curated and new readers of clear data, not revocations', () => {
  const d = diffAccessMatrices(BASE, HEAD);
  expect(d.calloutCount).toBe(2);
  expect(d.callouts.map((c) => c.callout)).toEqual(['write on production data', 'reader of clear data']);
  // The other way round, the revocations become grants: the transform role's raw read is a new reader of clear data.
  expect(diffAccessMatrices(HEAD, BASE).callouts.map((c) => `${c.principal} ${c.callout}`)).toEqual(['Lakehouse-dev-Domain-sales/TransformRole reader of clear data']);
  expect(d.domains.has('sales')).toBe(true);
});

test('nothing changes against itself', () => {
  const d = diffSynthOutputs(HEAD, HEAD);
  expect([d.access?.granted, d.access?.revoked, d.findings, d.acknowledgements, d.stacks]).toEqual([0, 0, [], [], []]);
});

test('nag findings and acknowledgements that appear or disappear, and the changed templates', () => {
  const d = diffSynthOutputs(BASE, HEAD);
  expect(d.findings).toEqual([
    { change: 'appeared', pack: 'DataOps', rule: 'DataOps-LambdaArm64', path: 'Lakehouse-dev-Domain-sales/Transform-orders/Handler/Function' },
    { change: 'disappeared', pack: 'DataOps', rule: 'DataOps-S3ZoneTag', path: 'Lakehouse-dev-Platform/Zones/raw/Bucket' },
  ]);
  expect(d.acknowledgements?.map((a) => `${a.change} ${a.rule} ${a.before ?? ''}→${a.findings}`)).toEqual(['covers more AwsSolutions-IAM5 2→3', 'disappeared CT.S3.PR.2 →1']);
  expect(d.stacks).toEqual(['Lakehouse-dev-Domain-sales']);
});

test('the report puts the diff at the top, the callouts before the full list', () => {
  const md = renderReport(readReportInputs(HEAD, { base: BASE }));
  const lines = md.split('\n');
  expect(lines[4]).toMatch(/^- \*\*Against the base\*\*: access: 2 cell\(s\) granted, 1 revoked \(\*\*2 called out\*\*\)/);
  const diff = md.indexOf('## Changes against the base');
  expect(diff).toBeGreaterThan(0);
  expect(diff).toBeLessThan(md.indexOf('## Findings by pack and rule'));
  expect(md.indexOf('**Called out first**')).toBeLessThan(md.indexOf('<details><summary>Every changed cell (3)</summary>'));
  expect(md).toContain('| **granted** | `Lakehouse-dev-Platform/Analystanalytics` | analyst | raw | s3:GetObject | (whole zone) |');
  expect(md).toContain('| revoked | `Lakehouse-dev-Domain-sales/TransformRole` | pipeline | raw | s3:GetObject | `sales/` |');
});

test('a base that was not synthesized is said, and does not fail the report', () => {
  const inputs = readReportInputs(HEAD, { base: path.join(BASE, 'nope') });
  expect(inputs.problems).toEqual([]);
  expect(renderReport(inputs)).toContain('- Not compared with a base: `');
});

test('a base whose matrix is of an older format, or not JSON, is said; findings and acknowledgements are still compared', () => {
  const copy = (edit: (index: string) => string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-base-'));
    fs.cpSync(BASE, dir, { recursive: true });
    const file = path.join(dir, 'access-matrix.json');
    fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
    return dir;
  };
  const older = diffSynthOutputs(copy((t) => JSON.stringify({ ...JSON.parse(t), version: 1 })), HEAD);
  expect(older.access).toBeUndefined();
  expect(older.accessMissing).toMatch(/^base \(an access matrix of format 1, from before the per-stack matrix files; synthesize the base again/);
  expect(older.findings).toHaveLength(2);
  expect(diffSynthOutputs(copy(() => '{not json'), HEAD).accessMissing).toBe('base (access-matrix.json is not JSON)');
  expect(diffSynthOutputs(HEAD, path.join(BASE, 'nope')).accessMissing).toBe('head (no access matrix)');
});

test("a new reader of the pipelines' query results (clear data in query-results) is called out", () => {
  const head = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-head-'));
  fs.cpSync(HEAD, head, { recursive: true });
  const edit = (file: string, change: (json: any) => void) => {
    const json = JSON.parse(fs.readFileSync(path.join(head, file), 'utf8'));
    change(json);
    fs.writeFileSync(path.join(head, file), JSON.stringify(json));
  };
  const analyst = 'Lakehouse-dev-Platform/Analystanalytics';
  edit('access-matrix.json', (index) => {
    index.principals.find((p: any) => p.id === analyst).readsPipelineResults = true;
  });
  edit('access-matrix/Lakehouse-dev-Platform.json', (file) => {
    file.principals.find((p: any) => p.id === analyst).cells.push({
      zone: 'query-results',
      bucket: 'Lakehouse-dev-Platform/ZonesqueryresultsBucket',
      action: 's3:GetObject',
      decision: 'partial',
      outcomes: [
        { decision: 'allow', keys: ['lakehouse-dev-pipelines/governance-probe/object'], allowedBy: ['Lakehouse-dev-Platform/PolicyB#0'], deniedBy: [] },
        { decision: 'implicit-deny', keys: ['governance-probe-foreign/object'], allowedBy: [], deniedBy: [] },
      ],
    });
  });
  const d = diffAccessMatrices(BASE, head);
  expect(d.callouts.map((c) => `${c.principal} ${c.zone} ${c.prefix} ${c.callout}`)).toContain(`${analyst} query-results lakehouse-dev-pipelines reader of clear data`);
});
