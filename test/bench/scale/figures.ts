/** A stack's figures against CloudFormation's quotas, for the scale benchmark. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

export interface QuotaFigure {
  readonly value: number;
  readonly limit: number;
  /** The resource the figure belongs to, for per-resource quotas. */
  readonly what?: string;
}

export interface StackFigures {
  readonly stack: string;
  readonly quotas: Record<string, QuotaFigure>;
}

export function stackFigures(templatePath: string): StackFigures {
  const text = readFileSync(templatePath, 'utf8');
  const t = JSON.parse(text) as { Resources?: object; Outputs?: object; Parameters?: object };
  return {
    stack: basename(templatePath, '.template.json'),
    quotas: {
      'template bytes': { value: Buffer.byteLength(text), limit: 1_000_000 },
      resources: { value: Object.keys(t.Resources ?? {}).length, limit: 500 },
      outputs: { value: Object.keys(t.Outputs ?? {}).length, limit: 200 },
      parameters: { value: Object.keys(t.Parameters ?? {}).length, limit: 200 },
    },
  };
}
