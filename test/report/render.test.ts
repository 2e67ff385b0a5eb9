import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readReportInputs } from '../../lib/report/read';
import { MAX_PATHS_PER_RULE, code, findingsByRule, renderReport, summarize } from '../../lib/report/render';
import { ReportInputs, ValidationReport } from '../../lib/report/types';

const FIXTURE_DIR = path.join(__dirname, 'fixtures', 'cdk.out');
const fixtureFile = (name: string) => path.join(FIXTURE_DIR, name);

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A cdk.out holding only the named fixture files. */
function dirWith(...names: string[]): string {
  for (const n of names) fs.copyFileSync(fixtureFile(n), path.join(tmp, n));
  return tmp;
}

/** Markdown section body under `## title`, up to the next `## `. */
function section(md: string, title: string): string {
  const start = md.indexOf(`\n## ${title}\n`);
  if (start === -1) throw new Error(`no section ${title}`);
  const rest = md.slice(start + title.length + 5);
  const end = rest.search(/\n## /);
  return end === -1 ? rest : rest.slice(0, end);
}

describe('renderReport with the real validation report and all optional inputs', () => {
  const inputs = readReportInputs(FIXTURE_DIR);
  const md = renderReport(inputs);

  test('reads every input without problems', () => {
    expect(inputs.problems).toEqual([]);
    expect(inputs.validationReport).toBeDefined();
    expect(inputs.acknowledgements).toBeDefined();
    expect(inputs.accessMatrixJsonPresent).toBe(true);
  });

  test('summary line: fail, error and warning counts, acknowledgements against the budget', () => {
    // Counted from the fixture: AwsSolutions S1 ×3, S10 ×4, TinyPolicy no-public-read ×1, CloudFormation E3045 ×2 (errors);
    // AwsSolutions DDB3 ×1, CloudFormation W3045 ×2, the construct annotation ×1 (warnings).
    expect(md).toContain('**FAIL** — 10 error findings, 4 warning findings (4 plugins reporting) · acknowledgements: 2 used of a budget of 5');
    expect(md.split('\n')[2]).toMatch(/^\*\*FAIL\*\*/);
  });

  test('says why it fails: each plugin that concluded failure, not the annotations plugin', () => {
    const s = summarize(inputs);
    expect(s.reasons).toEqual([
      'plugin AwsSolutions concluded failure',
      'plugin TinyPolicy concluded failure',
      'plugin CloudFormation Validate concluded failure',
    ]);
    expect(md).toContain('- plugin AwsSolutions concluded failure');
  });

  test('table of findings per pack and rule with count and level, errors first', () => {
    const table = section(md, 'Findings by pack and rule');
    const rows = table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Pack') && !l.startsWith('| ---'));
    expect(rows).toEqual([
      '| AwsSolutions | AwsSolutions-S1 | error | 3 |',
      '| AwsSolutions | AwsSolutions-S10 | error | 4 |',
      '| CloudFormation Validate | E3045 | error | 2 |',
      '| TinyPolicy | no-public-read | error | 1 |',
      '| AwsSolutions | AwsSolutions-DDB3 | warning | 1 |',
      '| CloudFormation Validate | W3045 | warning | 2 |',
      '| Construct Annotations | Annotation::lakehouse:fixture-warning | warning | 1 |',
    ]);
  });

  test('lists findings with resource paths and fix text', () => {
    const findings = section(md, 'Findings');
    expect(findings).toContain(
      [
        '### TinyPolicy · no-public-read (error, 1)',
        '',
        'S3 buckets must not grant public read through a canned ACL.',
        '',
        '**Fix:** Remove AccessControl: PublicRead and grant readers through IAM.',
        '',
        '- `Tiny/PublicSite` — `Tiny.template.json` › `PublicSite` (`Properties/AccessControl`)',
      ].join('\n'),
    );
    // cdk-nag gives no suggested fix: the report says so rather than inventing one.
    expect(findings).toContain(
      [
        '### AwsSolutions · AwsSolutions-S1 (error, 3)',
        '',
        'The S3 Bucket has server access logs disabled.',
        '',
        '**Fix:** none given by the plugin — see the description.',
        '',
        '- `Tiny/Unencrypted`',
        '- `Tiny/PublicSite`',
        '- `Tiny/LegacyPublic`',
      ].join('\n'),
    );
  });

  test('acknowledgements per pack and rule with reasons and where they were made', () => {
    const acks = section(md, 'Acknowledgements');
    expect(acks).toContain('2 used of a budget of 5.');
    expect(acks).toContain('| AwsSolutions | AwsSolutions-S1 | 1 |');
    expect(acks).toContain('| TinyPolicy | no-public-read | 1 |');
    expect(acks).toContain(
      '- `Tiny/AccessLogs` — This bucket receives the access logs; logging it would loop. _(made at `test/report/fixture-app.ts:75`)_',
    );
    // And the framework-level suppression recorded in validation-report.json.
    expect(acks).toContain('### Suppressed in the validation report');
    expect(acks).toContain('| TinyPolicy | no-public-read | `Tiny/LegacyPublic` | Legacy download bucket, removal tracked in LAKE-42. | `Tiny/LegacyPublic` |');
  });

  test('embeds the summary of access-matrix.md under "Governance access matrix", last, and leaves the folded detail in the file', () => {
    const [summary] = fs.readFileSync(fixtureFile('access-matrix.md'), 'utf8').split('<!-- access-matrix:detail -->');
    expect(md).toContain(`## Governance access matrix\n\n${summary.trimEnd()}\n\nThe detail per domain is in \`access-matrix.md\``);
    expect(md).not.toContain('Stand-in detail the report leaves in the file.');
  });

  test('mentions nothing as missing', () => {
    expect(md).not.toContain('Missing from');
    expect(md).not.toContain('could not be read');
  });
});

describe('renderReport with missing optional inputs', () => {
  test('only the validation report: says plainly what is missing, still reports findings', () => {
    const inputs = readReportInputs(dirWith('validation-report.json'));
    const md = renderReport(inputs);
    expect(md).toContain('acknowledgements: not reported');
    expect(md).toContain(`**Missing from \`${tmp}\`:**`);
    expect(md).toContain('- `acknowledgements.json` — acknowledgements and the budget are not reported.');
    expect(md).toContain('- `access-matrix.md` and `access-matrix.json` — the governance access matrix is not shown.');
    expect(section(md, 'Acknowledgements')).toContain('Not reported: `acknowledgements.json` is missing.');
    expect(section(md, 'Governance access matrix')).toContain('Not shown: `access-matrix.md` is missing.');
    expect(md).toContain('## Findings by pack and rule');
    // The framework-level suppression still shows (it comes from the validation report).
    expect(md).toContain('### Suppressed in the validation report');
  });

  test('access-matrix.json without the markdown says the matrix is not shown', () => {
    const md = renderReport(readReportInputs(dirWith('validation-report.json', 'access-matrix.json')));
    expect(md).toContain('the access matrix is not shown (`access-matrix.json` is present)');
  });

  test('no validation report: FAIL, says so, and renders no findings section', () => {
    const inputs = readReportInputs(dirWith('acknowledgements.json', 'access-matrix.md', 'access-matrix.json'));
    const md = renderReport(inputs);
    expect(md).toContain('**FAIL** — no validation report · acknowledgements: 2 used of a budget of 5');
    expect(md).toContain('- validation-report.json is missing: synth stopped before validation, or no validation plugin ran');
    expect(md).toContain('- `validation-report.json` — no findings can be reported (required input).');
    expect(md).not.toContain('## Findings');
    expect(md).toContain('## Governance access matrix');
  });

  test('empty directory: every input reported missing', () => {
    const md = renderReport(readReportInputs(tmp));
    for (const f of ['validation-report.json', 'acknowledgements.json', 'access-matrix.md']) expect(md).toContain(`\`${f}\``);
  });
});

describe('renderReport decisions', () => {
  const base = (vr: ValidationReport | undefined, extra: Partial<ReportInputs> = {}): ReportInputs => ({
    cdkOut: 'cdk.out',
    validationReport: vr,
    accessMatrixJsonPresent: false,
    problems: [],
    ...extra,
  });
  const clean: ValidationReport = { version: '55.0.0', title: 'Validation Report', pluginReports: [] };

  test('PASS when no plugin reported anything (aws-cdk-lib omits successful plugins without findings)', () => {
    const md = renderReport(base(clean, { acknowledgements: { entries: [], counts: {}, budget: 3 } }));
    expect(md).toContain('**PASS** — 0 error findings, 0 warning findings (0 plugins reporting) · acknowledgements: 0 used of a budget of 3');
    expect(md).toContain('No findings.');
    expect(md).not.toContain('Why it fails');
  });

  test('PASS with warnings when the plugin concluded success (construct annotations)', () => {
    const vr: ValidationReport = {
      version: '55.0.0',
      pluginReports: [
        {
          pluginName: 'Construct Annotations',
          conclusion: 'success',
          violations: [{ ruleName: 'Annotation::x', description: 'd', severity: 'warning', violatingConstructs: [{ constructPath: 'S/A' }] }],
        },
      ],
    };
    expect(summarize(base(vr))).toMatchObject({ pass: true, errors: 0, warnings: 1 });
  });

  test('an acknowledgement covering many constructs lists the first three and counts the rest (it grows with domains)', () => {
    const entry = { pack: 'P', rule: 'R', path: Array.from({ length: 10 }, (_, i) => `S${i}/A`).join(', '), reason: 'why', source: 'lib/x.ts:1' };
    const md = renderReport(base(clean, { acknowledgements: { entries: [entry], counts: { P: { R: 1 } }, budget: 5 } }));
    expect(md).toContain('- `S0/A, S1/A, S2/A, … 7 more` — why _(made at `lib/x.ts:1`)_');
  });

  test('FAIL when acknowledgements exceed the budget', () => {
    const entry = { pack: 'P', rule: 'R', path: 'S/A', reason: 'why', source: 'lib/x.ts:1' };
    const md = renderReport(base(clean, { acknowledgements: { entries: [entry, { ...entry, path: 'S/B' }], counts: { P: { R: 2 } }, budget: 1 } }));
    expect(md).toContain('**FAIL**');
    expect(md).toContain('- 2 acknowledgements used, over the budget of 1');
    expect(md).toContain('2 used of a budget of 1 — **over budget**.');
  });

  test('notes when counts disagree with the entries', () => {
    const entry = { pack: 'P', rule: 'R', path: 'S/A', reason: 'why', source: 'lib/x.ts:1' };
    const md = renderReport(base(clean, { acknowledgements: { entries: [entry], counts: { P: { R: 3 } }, budget: 10 } }));
    expect(md).toContain('Note: `counts` add up to 3, but there are 1 entries');
    expect(md).toContain('| P | R | 3 |');
  });

  test('a plugin that crashed is a failure with its error shown', () => {
    const vr: ValidationReport = {
      version: '55.0.0',
      pluginReports: [{ pluginName: 'DataOps', conclusion: 'failure', violations: [], metadata: { error: "Validation plugin 'DataOps' failed: boom" } }],
    };
    const md = renderReport(base(vr));
    expect(md).toContain("- plugin DataOps crashed: Validation plugin 'DataOps' failed: boom");
    expect(md).toContain('## Plugin errors');
  });

  test('custom severities are shown by name and counted as other findings', () => {
    const vr: ValidationReport = {
      version: '55.0.0',
      pluginReports: [
        {
          pluginName: 'P',
          conclusion: 'failure',
          violations: [{ ruleName: 'R', description: 'd', severity: 'custom', customSeverity: 'HIGH', violatingConstructs: [{ constructPath: 'S/A' }] }],
        },
      ],
    };
    const md = renderReport(base(vr));
    expect(md).toContain('| P | R | HIGH | 1 |');
    expect(md).toContain('0 error findings, 0 warning findings, 1 other finding');
  });

  test(`lists at most ${MAX_PATHS_PER_RULE} paths per rule and says how many more there are`, () => {
    const constructs = Array.from({ length: MAX_PATHS_PER_RULE + 7 }, (_, i) => ({ constructPath: `S/B${i}` }));
    const vr: ValidationReport = {
      version: '55.0.0',
      pluginReports: [{ pluginName: 'P', conclusion: 'failure', violations: [{ ruleName: 'R', description: 'd', severity: 'error', violatingConstructs: constructs }] }],
    };
    const md = renderReport(base(vr));
    expect(md).toContain(`\`S/B${MAX_PATHS_PER_RULE - 1}\``);
    expect(md).not.toContain(`\`S/B${MAX_PATHS_PER_RULE}\``);
    expect(md).toContain('- … and 7 more (all are in `validation-report.json`)');
    expect(findingsByRule(base(vr))[0].constructs).toHaveLength(MAX_PATHS_PER_RULE + 7);
  });

  test('table cells escape pipes and newlines', () => {
    const vr: ValidationReport = {
      version: '55.0.0',
      pluginReports: [{ pluginName: 'A|B', conclusion: 'failure', violations: [{ ruleName: 'R\n2', description: 'd', severity: 'error', violatingConstructs: [] }] }],
    };
    const md = renderReport(base(vr));
    expect(md).toContain('| A\\|B | R 2 | error | 1 |');
    expect(md).toContain('- (the plugin named no construct)');
  });

  test('inline code survives backticks', () => {
    expect(code('a`b')).toBe('`` a`b ``');
    expect(code('plain')).toBe('`plain`');
    expect(code('x|y', true)).toBe('`x\\|y`');
  });
});

describe('readReportInputs problems', () => {
  test('malformed JSON is a problem, the file counts as unreadable and the result is FAIL', () => {
    fs.copyFileSync(fixtureFile('validation-report.json'), path.join(tmp, 'validation-report.json'));
    fs.writeFileSync(path.join(tmp, 'acknowledgements.json'), '{ not json');
    const inputs = readReportInputs(tmp);
    expect(inputs.acknowledgements).toBeUndefined();
    expect(inputs.problems).toEqual([{ file: 'acknowledgements.json', problem: expect.stringMatching(/^not JSON/) }]);
    const md = renderReport(inputs);
    expect(md).toContain('**Could not read `acknowledgements.json`:** not JSON');
    expect(md).toContain('Not reported: `acknowledgements.json` is unreadable.');
    expect(md).not.toContain('- `acknowledgements.json` — acknowledgements and the budget are not reported.');
  });

  test('a validation report of the wrong shape is a problem', () => {
    fs.writeFileSync(path.join(tmp, 'validation-report.json'), JSON.stringify({ title: 'Validation Report', pluginReports: [{ pluginName: 'X' }] }));
    const inputs = readReportInputs(tmp);
    expect(inputs.validationReport).toBeUndefined();
    expect(inputs.problems[0]).toEqual({ file: 'validation-report.json', problem: 'pluginReports[0] lacks "pluginName" or a "violations" array' });
    expect(renderReport(inputs)).toContain('- validation-report.json could not be read (pluginReports[0] lacks');
  });

  test('acknowledgements of the wrong shape are a problem', () => {
    fs.writeFileSync(path.join(tmp, 'acknowledgements.json'), JSON.stringify({ entries: [{ pack: 'P' }], counts: {}, budget: 1 }));
    expect(readReportInputs(tmp).problems).toEqual([
      { file: 'acknowledgements.json', problem: 'entries[0] must have string "pack", "rule", "path", "reason" and "source"' },
    ]);
    fs.writeFileSync(path.join(tmp, 'acknowledgements.json'), JSON.stringify({ entries: [], counts: {}, budget: 'ten' }));
    expect(readReportInputs(tmp).problems[0].problem).toBe('"budget" must be a number');
  });
});
