import type { S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * The S3 client for this environment. `S3_ENDPOINT` (and `S3_FORCE_PATH_STYLE=true`) point it
 * at a local S3 such as s3rver; checksums are then only sent when required, because s3rver
 * stores streamed bodies with the checksum's chunk encoding inside (FACTS.md).
 */
export function s3ClientConfigFromEnv(env: NodeJS.ProcessEnv = process.env): S3ClientConfig {
  const endpoint = env.S3_ENDPOINT?.trim();
  if (!endpoint) return {};
  return {
    endpoint,
    forcePathStyle: (env.S3_FORCE_PATH_STYLE ?? '').trim().toLowerCase() === 'true',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}
