/**
 * The AWS Control Tower proactive controls as cfn-guard rule files, read from
 * `@cdklabs/cdk-validator-cfnguard` (which ships them and the cfn-guard binary; nothing is
 * downloaded). Each file holds one control: its guard rule name, its control id (`CT.S3.PR.11`),
 * the description and `[FIX]` text of its message, the resource types it reports on, and every
 * resource type it mentions (the reported ones plus the ones it follows references to).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LakehouseError } from '../../constructs/errors';

/** The package that ships the rules and the binary. */
export const CFN_GUARD_PACKAGE = '@cdklabs/cdk-validator-cfnguard';

export interface GuardRule {
  /** The rule file. */
  readonly file: string;
  /** The guard rule's name, as cfn-guard reports it (`cloudwatch_log_group_encrypted_check`). */
  readonly ruleName: string;
  /** The Control Tower control id (`CT.CLOUDWATCH.PR.3`). */
  readonly controlId: string;
  /** What the control requires. */
  readonly description: string;
  /** How to comply, from the control's `[FIX]` text. */
  readonly fix: string;
  /** The resource types the control reports on. */
  readonly reportsOn: readonly string[];
  /** Every resource type the file names (reported types and the types of resources it follows references to). */
  readonly mentions: readonly string[];
}

function packageDir(): string {
  return path.dirname(require.resolve(`${CFN_GUARD_PACKAGE}/package.json`));
}

/** The Control Tower rules directory of the package. */
export function defaultRulesDir(): string {
  return path.join(packageDir(), 'rules', 'control-tower', 'cfn-guard');
}

/** The package's version (the rules' version). */
export function guardPackageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(packageDir(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** The cfn-guard binary the package ships for this machine. */
export function defaultGuardBinary(): string {
  const platform = os.platform() === 'linux' ? 'ubuntu' : os.platform() === 'darwin' ? 'macos' : undefined;
  const arch = os.arch() === 'x64' ? 'x86_64' : os.arch() === 'arm64' ? 'aarch64' : undefined;
  const binary = platform && arch ? path.join(packageDir(), 'bin', platform, arch, 'cfn-guard') : undefined;
  if (!binary || !fs.existsSync(binary)) {
    throw new LakehouseError({
      code: 'LH930',
      path: 'ControlTowerChecks',
      value: `${os.platform()}/${os.arch()}`,
      problem: `${CFN_GUARD_PACKAGE} ships cfn-guard for Linux and macOS on x64 and arm64 only`,
      fix: 'synthesize on Linux or macOS (x64 or arm64), or pass guardPath to a cfn-guard 3 binary',
    });
  }
  return binary;
}

const TYPE_RE = /AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g;

/** Reads one rule file. */
export function parseGuardRule(file: string, text: string): GuardRule {
  const ruleName = /^rule ([A-Za-z0-9_]+) when/m.exec(text)?.[1];
  if (!ruleName) {
    throw new LakehouseError({ code: 'LH931', path: file, value: path.basename(file), problem: 'no primary rule (`rule <name> when ...`) in the Control Tower rule file', fix: `reinstall ${CFN_GUARD_PACKAGE} from the lockfile` });
  }
  const message = /\[(CT\.[A-Z0-9.-]+)\]:\s*(.+)/.exec(text);
  // A few files carry no [CT.…] marker: ct-network-firewall-pr-1.guard is CT.NETWORK-FIREWALL.PR.1.
  const fromName = /^ct-(.+)-pr-(\d+)\.guard$/.exec(path.basename(file));
  const controlId = message?.[1] ?? (fromName ? `CT.${fromName[1].toUpperCase()}.PR.${fromName[2]}` : ruleName);
  const reportsBlock = /#\s*Reports on:\s*\n((?:#[ \t]+\S.*\n)+)/.exec(text)?.[1] ?? '';
  const reportsOn = [...new Set(reportsBlock.match(TYPE_RE) ?? [])];
  const mentions = [...new Set(text.match(TYPE_RE) ?? [])];
  return {
    file,
    ruleName,
    controlId,
    description: message?.[2]?.trim() ?? ruleName,
    fix: /\[FIX\]:\s*(.+)/.exec(text)?.[1]?.trim() ?? 'See the control in the AWS Control Tower controls reference.',
    reportsOn: reportsOn.length > 0 ? reportsOn : mentions,
    mentions,
  };
}

const cache = new Map<string, readonly GuardRule[]>();

/** Every rule file under `dir` (recursively), parsed; cached per directory. */
export function loadGuardRules(dir: string = defaultRulesDir()): readonly GuardRule[] {
  const cached = cache.get(dir);
  if (cached) return cached;
  const rules: GuardRule[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.guard')) rules.push(parseGuardRule(full, fs.readFileSync(full, 'utf8')));
    }
  };
  walk(dir);
  cache.set(dir, rules);
  return rules;
}
