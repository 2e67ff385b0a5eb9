import { Duration, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { TAG_KEYS } from '../../lambda/shared/zones';
import { LakehouseError } from '../errors';
import { pipelineRolePath, rolePath } from '../zones/principals';

/** Stages of the flow a pipeline role writes: clean (the transform) or curated (SQL models). */
export type PipelineStage = 'clean' | 'curated';

/** The tag a lakehouse role carries to say what it is. */
export const LAKEHOUSE_ROLE_TAG = TAG_KEYS.role;
/** Tag of a pipeline role's stage. */
export const STAGE_TAG = TAG_KEYS.stage;
/** Tag of an ingest role's source (its prefix in landing and raw). */
export const SOURCE_TAG = TAG_KEYS.source;

const NAME_RE = /^[a-z][a-z0-9_-]{0,39}$/;

function checkName(scope: Construct, code: string, what: string, value: string): void {
  if (!NAME_RE.test(value)) {
    throw new LakehouseError({ code, scope, value, problem: `${what} must be lower case letters, digits, _ or -, starting with a letter, ≤ 40 characters`, fix: `rename the ${what}` });
  }
}

interface CommonRoleProps {
  /** The environment: scopes the IAM path. */
  readonly environmentName: string;
  /** Who assumes the role. */
  readonly assumedBy: iam.IPrincipal;
  /** One line for the console. */
  readonly description: string;
}

export interface PipelineRoleProps extends CommonRoleProps {
  /** The domain whose data the role moves. */
  readonly domain: string;
  /** The zone the role writes. */
  readonly stage: PipelineStage;
}

/**
 * A pipeline role: the only kind of principal the clean and curated zones accept writes from. It
 * lives at the environment's pipeline path (`/lakehouse/<env>/pipeline/`), which the zones'
 * default-deny matches; grants on the zones decide what it may actually write (its own domain
 * prefix of its own stage).
 */
export class PipelineRole extends iam.Role {
  public static isPipelineRole(x: unknown): x is PipelineRole {
    return x instanceof PipelineRole;
  }

  public readonly domain: string;
  public readonly stage: PipelineStage;

  constructor(scope: Construct, id: string, props: PipelineRoleProps) {
    super(scope, id, { assumedBy: props.assumedBy, description: props.description, path: pipelineRolePath(props.environmentName) });
    checkName(this, 'LH050', 'domain', props.domain);
    this.domain = props.domain;
    this.stage = props.stage;
    Tags.of(this).add(LAKEHOUSE_ROLE_TAG, 'pipeline');
    Tags.of(this).add(TAG_KEYS.domain, props.domain);
    Tags.of(this).add(STAGE_TAG, props.stage);
  }
}

export interface IngestRoleProps extends CommonRoleProps {
  /** The source system or partner. */
  readonly source: string;
  /** The domain the source feeds, if any. @default - none */
  readonly domain?: string;
  /**
   * Its key prefix in landing and raw, without the trailing `/` (e.g. `sales/marketplace`): the
   * value of its `lakehouse:source` tag, which the governance proof holds its writes to.
   * @default - `source`
   */
  readonly prefix?: string;
}

/** A source system or partner: puts new objects under its own landing/raw prefix and reads nothing. */
export class IngestRole extends iam.Role {
  public readonly source: string;
  /** Its key prefix in landing and raw (no trailing `/`). */
  public readonly prefix: string;

  constructor(scope: Construct, id: string, props: IngestRoleProps) {
    super(scope, id, { assumedBy: props.assumedBy, description: props.description, path: rolePath(props.environmentName, 'ingest') });
    checkName(this, 'LH051', 'source', props.source);
    this.prefix = props.prefix ?? props.source;
    if (!/^[a-z][a-z0-9_-]*(\/[a-z][a-z0-9_-]*)*$/.test(this.prefix) || this.prefix.length > 256) {
      throw new LakehouseError({ code: 'LH051', scope: this, value: this.prefix, problem: 'a source prefix is one or more lower-case names joined by /, without leading or trailing /, ≤ 256 characters (a tag value)', fix: 'use a prefix like "sales/marketplace"' });
    }
    this.source = props.source;
    Tags.of(this).add(LAKEHOUSE_ROLE_TAG, 'ingest');
    Tags.of(this).add(SOURCE_TAG, this.prefix);
    if (props.domain) Tags.of(this).add(TAG_KEYS.domain, props.domain);
  }
}

export interface StewardRoleProps extends Omit<CommonRoleProps, 'assumedBy'> {
  /** The domain whose raw and quarantined data the steward triages. */
  readonly domain: string;
  /**
   * Who may assume the role (role, user or account-root ARNs, from the environment's configuration),
   * always with MFA. An account root delegates to that account's IAM: its principals allowed
   * `sts:AssumeRole` on this role may assume it.
   * @default - principals of this account tagged `lakehouse:steward:<domain>` = `true` (with MFA): an
   * account-wide `sts:AssumeRole` (PowerUserAccess, for one) is not enough, tagging a principal is an IAM change
   */
  readonly assumedBy?: readonly iam.IPrincipal[];
}

/** The principal tag that lets a principal of the account assume a domain's steward role when none is configured. */
export function stewardTagKey(domain: string): string {
  return `lakehouse:steward:${domain}`;
}

/**
 * A domain's data steward: a person who triages the domain's raw and quarantined records, which
 * hold personal data in clear. It lives at `/lakehouse/<env>/steward/`, the path the clear-data
 * zones' bucket policies let read (grants decide what: its own domain's prefixes); its trust
 * policy requires MFA for every principal that may assume it.
 */
export class StewardRole extends iam.Role {
  public readonly domain: string;

  constructor(scope: Construct, id: string, props: StewardRoleProps) {
    if (props.assumedBy?.length === 0) {
      throw new LakehouseError({ code: 'LH053', path: `${scope.node.path}/${id}`, value: [], problem: 'a steward role needs at least one principal that may assume it', fix: `name them in the environment configuration (stewards.<domain>), or leave the domain out for this account's principals tagged ${stewardTagKey(props.domain)}=true` });
    }
    const mfa = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
    super(scope, id, {
      assumedBy: props.assumedBy
        ? new iam.PrincipalWithConditions(new iam.CompositePrincipal(...props.assumedBy), mfa)
        : new iam.PrincipalWithConditions(new iam.AccountRootPrincipal(), { ...mfa, StringEquals: { [`aws:PrincipalTag/${stewardTagKey(props.domain)}`]: 'true' } }),
      description: props.description,
      path: rolePath(props.environmentName, 'steward'),
      maxSessionDuration: Duration.hours(1),
    });
    checkName(this, 'LH050', 'domain', props.domain);
    this.domain = props.domain;
    Tags.of(this).add(LAKEHOUSE_ROLE_TAG, 'steward');
    Tags.of(this).add(TAG_KEYS.domain, props.domain);
  }
}

export interface AnalystRoleProps extends CommonRoleProps {
  /** The team; its sandbox workspace is `<team>/`. */
  readonly team: string;
}

/** An analyst team: queries curated data through Athena and writes only its own sandbox workspace. */
export class AnalystRole extends iam.Role {
  public readonly team: string;

  constructor(scope: Construct, id: string, props: AnalystRoleProps) {
    super(scope, id, { assumedBy: props.assumedBy, description: props.description, path: rolePath(props.environmentName, 'analyst') });
    checkName(this, 'LH052', 'team', props.team);
    this.team = props.team;
    Tags.of(this).add(LAKEHOUSE_ROLE_TAG, 'analyst');
    Tags.of(this).add('lakehouse:team', props.team);
  }
}

export interface OperatorRoleProps extends CommonRoleProps {
  /** Qualifier of the CDK bootstrap whose deployment roles the operator may assume. */
  readonly bootstrapQualifier: string;
}

/**
 * The platform operator: manages infrastructure by deploying through the CDK bootstrap roles
 * (`cdk deploy`), and holds no data permission of its own.
 */
export class OperatorRole extends iam.Role {
  constructor(scope: Construct, id: string, props: OperatorRoleProps) {
    super(scope, id, { assumedBy: props.assumedBy, description: props.description, path: rolePath(props.environmentName, 'operator') });
    Tags.of(this).add(LAKEHOUSE_ROLE_TAG, 'operator');
    const stack = Stack.of(this);
    const q = props.bootstrapQualifier;
    this.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DeployThroughCdkBootstrapRoles',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: ['deploy', 'file-publishing', 'lookup'].map((kind) =>
          stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: `cdk-${q}-${kind}-role-${stack.account}-${stack.region}` }),
        ),
      }),
    );
  }
}
