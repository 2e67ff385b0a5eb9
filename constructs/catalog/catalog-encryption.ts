import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface CatalogEncryptionProps {
  /** The lake key: encrypts catalog metadata and connection passwords. */
  readonly encryptionKey: kms.IKey;
}

/**
 * Glue Data Catalog encryption settings with the lake key. There is one such setting per account
 * and region: two environments in one account and region must not both deploy it.
 */
export class CatalogEncryption extends Construct {
  public readonly settings: glue.CfnDataCatalogEncryptionSettings;

  constructor(scope: Construct, id: string, props: CatalogEncryptionProps) {
    super(scope, id);
    this.settings = new glue.CfnDataCatalogEncryptionSettings(this, 'Resource', {
      catalogId: Stack.of(this).account,
      dataCatalogEncryptionSettings: {
        encryptionAtRest: { catalogEncryptionMode: 'SSE-KMS', sseAwsKmsKeyId: props.encryptionKey.keyArn },
        connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, kmsKeyId: props.encryptionKey.keyArn },
      },
    });
  }
}
