import { Stack, Tags } from 'aws-cdk-lib';
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
export const STAGE_TAG = 'lakehouse:stage';
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
  /** The source system or partner; also its key prefix in landing and raw. */
  readonly source: string;
  /** The domain the source feeds, if any. @default - none */
  readonly domain?: string;
}

/** A source system or partner: puts new objects under its own landing/raw prefix and reads nothing. */
export class IngestRole extends iam.Role {
  public readonly source: string;

  constructor(scope: Construct, id: string, props: IngestRoleProps) {
    super(scope, id, { assumedBy: props.assumedBy, description: props.description, path: rolePath(props.environmentName, 'ingest') });
    checkName(this, 'LH051', 'source', props.source);
    this.source = props.source;
    Tags.of(this).add(LAKEHOUSE_ROLE_TAG, 'ingest');
    Tags.of(this).add(SOURCE_TAG, props.source);
    if (props.domain) Tags.of(this).add(TAG_KEYS.domain, props.domain);
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
