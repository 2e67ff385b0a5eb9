import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeFindings } from '../acknowledge';
import { LakehouseError } from '../errors';
import { GLUE_READ_ACTIONS } from '../zones/perms';

/** Zones that have a Glue database per domain. */
export const CATALOG_ZONES = ['raw', 'clean', 'curated'] as const;
export type CatalogZone = (typeof CATALOG_ZONES)[number];

/** Domain names: lower snake case, ≤ 40 characters (they prefix Glue database names). */
export const DOMAIN_NAME_RE = /^[a-z][a-z0-9_]{0,39}$/;

/** The naming rule: `<domain>_<zone>`. */
export function databaseName(domain: string, zone: CatalogZone): string {
  return `${domain}_${zone}`;
}

export interface LakeDatabaseProps {
  /** The data domain, e.g. `sales`. */
  readonly domain: string;
  /** The zone the database describes. */
  readonly zone: CatalogZone;
  /** Owning team, stored as the `owner` parameter. */
  readonly owner: string;
  /** One line for the catalog. */
  readonly description: string;
  /** S3 location of the domain in the zone, e.g. `s3://bucket/sales/`. @default - none */
  readonly locationUri?: string;
}

/** A Glue database named `<domain>_<zone>` with owner and description parameters. */
export class LakeDatabase extends Construct {
  public readonly database: glue.CfnDatabase;
  public readonly databaseName: string;
  public readonly databaseArn: string;

  constructor(scope: Construct, id: string, props: LakeDatabaseProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.domain) && !DOMAIN_NAME_RE.test(props.domain)) {
      throw new LakehouseError({ code: 'LH030', scope: this, value: props.domain, problem: 'a domain name is lower snake case, starts with a letter, ≤ 40 characters', fix: 'rename the domain, e.g. "sales" or "web_events"' });
    }
    if (!(CATALOG_ZONES as readonly string[]).includes(props.zone)) {
      throw new LakehouseError({ code: 'LH031', scope: this, value: props.zone, problem: `catalog databases exist for ${CATALOG_ZONES.join(', ')}`, fix: 'use one of those zones' });
    }
    if (!props.owner.trim()) {
      throw new LakehouseError({ code: 'LH032', scope: this, value: props.owner, problem: 'a database needs an owner', fix: 'set owner to the owning team' });
    }
    const stack = Stack.of(this);
    this.databaseName = databaseName(props.domain, props.zone);
    this.database = new glue.CfnDatabase(this, 'Resource', {
      catalogId: stack.account,
      databaseInput: {
        name: this.databaseName,
        description: props.description,
        locationUri: props.locationUri,
        parameters: { owner: props.owner, zone: props.zone, domain: props.domain },
      },
    });
    this.databaseArn = stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }

  /** ARN of tables in this database (`*` = all). */
  public tableArn(table: string): string {
    return Stack.of(this).formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${table}`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  }

  /** Read the database's table definitions and partitions. */
  public grantReadMetadata(grantee: iam.IGrantable): iam.Grant {
    return grantCatalogRead(grantee, this.databaseName);
  }

  /**
   * `actions` (e.g. create and drop) on this database's temporary tables: those whose names
   * contain `infix` (a pipeline's per-run tables, such as `<model>__stg_<run>` or
   * `<dataset>__big_<run>_in`). Table names are only known at run time, so the ARN ends in a
   * wildcard around the infix; that finding is acknowledged on the grantee, one decision for every
   * kind of per-run table.
   */
  public grantTemporaryTables(grantee: iam.IGrantable, options: { readonly infix: string; readonly actions: readonly string[] }): iam.Grant {
    if (!/^[a-z0-9_]*__[a-z0-9_]*$/.test(options.infix)) {
      throw new LakehouseError({ code: 'LH034', scope: this, value: options.infix, problem: 'a temporary-table infix is lower case letters, digits and _, and contains __ (which dataset and model names never do)', fix: 'use an infix such as __stg_' });
    }
    if (Construct.isConstruct(grantee)) {
      acknowledgeFindings(grantee, {
        id: 'AwsSolutions-IAM5',
        findings: new RegExp(`^Resource::arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:table/${this.databaseName}/\\*${options.infix}\\*$`),
        reason:
          "A pipeline's per-run temporary tables (a SQL model's staging tables <model>__stg_<run>, a big-file run's <dataset>__big_<run>_in|out) are named at run time; the wildcard is limited to tables whose name holds the run marker (with __, which no dataset or model name has) in one named database.",
      });
    }
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [...options.actions],
      resourceArns: [Stack.of(this).formatArn({ service: 'glue', resource: 'catalog' }), this.databaseArn, this.tableArn(`*${options.infix}*`)],
    });
  }
}

/**
 * Read the catalog entries (databases, tables, partitions) of the databases whose names match
 * `databaseNamePattern` (a Glue name, or a pattern such as `*_curated`).
 */
export function grantCatalogRead(grantee: iam.IGrantable, databaseNamePattern: string): iam.Grant {
  if (!/^[a-z0-9_*]+$/.test(databaseNamePattern) || databaseNamePattern === '*') {
    throw new LakehouseError({ code: 'LH033', path: Construct.isConstruct(grantee) ? grantee.node.path : '(grantee)', value: databaseNamePattern, problem: 'catalog read needs a database name or a narrowing pattern such as *_curated', fix: 'name the database or the zone suffix' });
  }
  const stack = Stack.of(grantee as unknown as Construct);
  const grant = iam.Grant.addToPrincipal({
    grantee,
    actions: GLUE_READ_ACTIONS,
    resourceArns: [
      stack.formatArn({ service: 'glue', resource: 'catalog' }),
      stack.formatArn({ service: 'glue', resource: 'database', resourceName: databaseNamePattern, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
      stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${databaseNamePattern}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
    ],
  });
  if (Construct.isConstruct(grantee)) {
    const escaped = databaseNamePattern.replace(/\*/g, '\\*');
    acknowledgeFindings(grantee, {
      id: 'AwsSolutions-IAM5',
      findings: new RegExp(`^Resource::arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:(database/${escaped}|table/${escaped}/\\*)$`),
      reason: 'Glue catalog read covers the tables of named databases (or every domain\'s curated database); table names change with the domain files, so they end in a wildcard.',
    });
  }
  return grant;
}
