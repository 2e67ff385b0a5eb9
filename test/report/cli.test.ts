import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main, parseArgs } from '../../lib/report/cli';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE_DIR = path.join(__dirname, 'fixtures', 'cdk.out');

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'report-cli-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('parseArgs', () => {
  test('defaults to cdk.out and no output file', () => {
    expect(parseArgs([])).toEqual({ cdkOut: 'cdk.out', out: undefined });
  });
  test('takes a directory and --out in either order and form', () => {
    expect(parseArgs(['build/cdk.out', '--out', 'r.md'])).toEqual({ cdkOut: 'build/cdk.out', out: 'r.md' });
    expect(parseArgs(['--out=r.md', 'x'])).toEqual({ cdkOut: 'x', out: 'r.md' });
  });
  test.each([[['--out']], [['--out', '--x']], [['--bogus']], [['a', 'b']], [['--out=']]])('fails if the arguments are %p', (argv) => {
    expect(() => parseArgs(argv)).toThrow(/usage: npm run report/);
  });
});

describe('main', () => {
  test('prints the report, writes --out, exits 0 with a validation report', () => {
    const out = path.join(tmp, 'nested', 'report.md');
    const r = run([FIXTURE_DIR, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Synth report\n\n\*\*FAIL\*\* — 10 error findings/);
    expect(fs.readFileSync(out, 'utf8')).toBe(r.stdout);
  });

  test('without a validation report: still writes the markdown saying so, exits 1', () => {
    const out = path.join(tmp, 'report.md');
    const r = run([path.join(tmp, 'no-such-cdk.out'), '--out', out]);
    expect(r.code).toBe(1);
    expect(fs.readFileSync(out, 'utf8')).toContain('validation-report.json is missing');
    expect(r.stderr).toContain('no usable validation-report.json');
  });

  test('bad arguments exit 2 with usage', () => {
    const r = run(['--nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage:');
    expect(r.stdout).toBe('');
  });
});

test('`npm run report -- <dir> --out <file>` runs the CLI through tsx', () => {
  const out = path.join(tmp, 'report.md');
  const r = spawnSync('npm', ['run', '--silent', 'report', '--', FIXTURE_DIR, '--out', out], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('## Governance access matrix');
  expect(fs.readFileSync(out, 'utf8')).toBe(r.stdout);
});
