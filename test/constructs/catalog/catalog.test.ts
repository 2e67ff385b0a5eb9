import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CatalogEncryption, LakeDatabase, databaseName } from '../../../constructs/catalog';
import { testApp } from '../../helpers/app';

describe('CatalogEncryption', () => {
  test('encrypts metadata and connection passwords with the given key', () => {
    const stack = new Stack(testApp(), 'T');
    const key = new kms.Key(stack, 'K', { enableKeyRotation: true });
    new CatalogEncryption(stack, 'Cat', { encryptionKey: key });
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as any), 'Arn'] };
    Template.fromStack(stack).hasResourceProperties('AWS::Glue::DataCatalogEncryptionSettings', {
      CatalogId: { Ref: 'AWS::AccountId' },
      DataCatalogEncryptionSettings: {
        EncryptionAtRest: { CatalogEncryptionMode: 'SSE-KMS', SseAwsKmsKeyId: keyArn },
        ConnectionPasswordEncryption: { ReturnConnectionPasswordEncrypted: true, KmsKeyId: keyArn },
      },
    });
  });
});

describe('LakeDatabase', () => {
  test('is named <domain>_<zone> with owner and description', () => {
    const stack = new Stack(testApp(), 'T');
    const db = new LakeDatabase(stack, 'Db', { domain: 'sales', zone: 'curated', owner: 'sales-analytics', description: 'Sales data products' });
    expect(db.databaseName).toBe('sales_curated');
    expect(databaseName('web_events', 'raw')).toBe('web_events_raw');
    Template.fromStack(stack).hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: { Name: 'sales_curated', Description: 'Sales data products', Parameters: { owner: 'sales-analytics', zone: 'curated', domain: 'sales' } },
    });
  });

  test('grantReadMetadata reads this database only', () => {
    const stack = new Stack(testApp(), 'T');
    const db = new LakeDatabase(stack, 'Db', { domain: 'sales', zone: 'clean', owner: 'o', description: 'd' });
    db.grantReadMetadata(new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }));
    const policy: any = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0];
    const [statement] = policy.Properties.PolicyDocument.Statement;
    expect(statement.Action).toEqual(expect.arrayContaining(['glue:GetTable', 'glue:GetPartitions']));
    const resources = JSON.stringify(statement.Resource);
    expect(resources).toContain(':database/sales_clean');
    expect(resources).toContain(':table/sales_clean/*');
    expect(resources).not.toContain('database/*');
  });

  test.each([['Sales'], ['1sales'], ['sales-data'], ['a'.repeat(41)]])('fails if the domain is %j', (domain) => {
    const stack = new Stack(testApp(), 'T');
    expect(() => new LakeDatabase(stack, 'Db', { domain, zone: 'raw', owner: 'o', description: 'd' })).toThrow(/LH030.*T\/Db.*lower snake case/);
  });

  test('fails if the zone has no catalog database', () => {
    const stack = new Stack(testApp(), 'T');
    expect(() => new LakeDatabase(stack, 'Db', { domain: 'sales', zone: 'sandbox' as any, owner: 'o', description: 'd' })).toThrow(/LH031.*"sandbox"/);
  });

  test('fails if the owner is blank', () => {
    const stack = new Stack(testApp(), 'T');
    expect(() => new LakeDatabase(stack, 'Db', { domain: 'sales', zone: 'raw', owner: ' ', description: 'd' })).toThrow(/LH032/);
  });
});

describe('LakeDatabase.grantTemporaryTables', () => {
  const setup = () => {
    const stack = new Stack(testApp(), 'Tmp');
    const db = new LakeDatabase(stack, 'Db', { domain: 'sales', zone: 'clean', owner: 'team', description: 'd', locationUri: 's3://b/sales/' });
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    return { stack, db, role };
  };

  test('grants the actions on the tables around the infix only', () => {
    const { stack, db, role } = setup();
    db.grantTemporaryTables(role, { infix: '__big_', actions: ['glue:CreateTable', 'glue:DeleteTable'] });
    const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')) as any[];
    const [statement] = policy.Properties.PolicyDocument.Statement;
    expect(statement.Action).toEqual(['glue:CreateTable', 'glue:DeleteTable']);
    expect(JSON.stringify(statement.Resource)).toContain(':table/sales_clean/*__big_*');
    expect(JSON.stringify(statement.Resource)).not.toContain(':table/sales_clean/*"');
  });

  test('fails if the infix could match ordinary table names', () => {
    const { db, role } = setup();
    expect(() => db.grantTemporaryTables(role, { infix: '_stg', actions: ['glue:CreateTable'] })).toThrow(/LH034.*contains __.*got "_stg"/);
    expect(() => db.grantTemporaryTables(role, { infix: '__St*', actions: ['glue:CreateTable'] })).toThrow(/LH034/);
  });
});
