/**
 * The Glue table of a curated model: Parquet (ZSTD), partitioned by the model's date column and
 * found by partition projection — like the clean tables, so publishing a partition needs no
 * catalog call. The model itself travels in the `lakehouse.model` parameter; the runner reads it
 * back, so the catalog is the one place the deployed model lives.
 */
import * as glue from 'aws-cdk-lib/aws-glue';
import { MODEL_SPEC_PARAMETER, ModelSpec, dataColumns, modelPrefix, serialiseModelSpec } from '../../lambda/shared/models';
import { PARQUET_STORAGE, columnComment, parquetTableParameters } from '../domain/glue-tables';

/** Glue's limit on one table parameter value, in bytes. */
export const MAX_PARAMETER_BYTES = 512000;


/** Why a model cannot travel in its Glue table parameter (too large), or undefined: CuratedModels' LH136, also run by the CLI. */
export function modelParameterProblem(spec: ModelSpec): { value: unknown; problem: string; fix: string } | undefined {
  const size = Buffer.byteLength(serialiseModelSpec(spec), 'utf8');
  if (size <= MAX_PARAMETER_BYTES) return undefined;
  return { value: size, problem: `model ${spec.name} is too large for a Glue table parameter (${MAX_PARAMETER_BYTES} bytes)`, fix: 'split the model or shorten its SQL' };
}

export function curatedTableInput(spec: ModelSpec, owner: string, bucketName: string): glue.CfnTable.TableInputProperty {
  const p = spec.partition;
  const prefix = `s3://${bucketName}/${modelPrefix(spec)}`;
  const partitionColumn = spec.columns.find((c) => c.name === p);
  return {
    name: spec.name,
    description: `${spec.description ?? spec.name} (curated model, ${spec.file})`,
    tableType: 'EXTERNAL_TABLE',
    parameters: {
      ...parquetTableParameters(owner, p, prefix),
      [MODEL_SPEC_PARAMETER]: serialiseModelSpec(spec),
    },
    partitionKeys: [{ name: p, type: 'date', comment: columnComment(partitionColumn?.description, partitionColumn?.pii) }],
    storageDescriptor: {
      ...PARQUET_STORAGE,
      location: prefix,
      columns: dataColumns(spec).map((c) => ({ name: c.name, type: c.type, comment: columnComment(c.description, c.pii) })),
    },
  };
}
