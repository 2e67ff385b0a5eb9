/**
 * The priced resources of one synthesized template: counted from its `Resources`, so the estimate
 * prices what synth produced, not a hand-kept list.
 */
import { StackResources } from './estimate';

interface TemplateResource {
  readonly Type?: string;
  readonly Properties?: Record<string, unknown>;
}

/** Counts a template's alarms (by the metrics they read), dashboards, keys, secrets, catalog objects and encrypted queues. */
export function stackResources(template: { readonly Resources?: Record<string, TemplateResource> }): StackResources {
  const counts = { alarmMetrics: 0, dashboards: 0, kmsKeys: 0, secrets: 0, glueDatabases: 0, glueTables: 0, encryptedQueues: 0 };
  for (const resource of Object.values(template.Resources ?? {})) {
    const props = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::CloudWatch::Alarm': {
        const metrics = Array.isArray(props.Metrics) ? (props.Metrics as Array<Record<string, unknown>>).filter((m) => m && m.MetricStat !== undefined).length : 0;
        counts.alarmMetrics += Math.max(1, metrics);
        break;
      }
      case 'AWS::CloudWatch::Dashboard':
        counts.dashboards++;
        break;
      case 'AWS::KMS::Key':
        counts.kmsKeys++;
        break;
      case 'AWS::SecretsManager::Secret':
        counts.secrets++;
        break;
      case 'AWS::Glue::Database':
        counts.glueDatabases++;
        break;
      case 'AWS::Glue::Table':
        counts.glueTables++;
        break;
      case 'AWS::SQS::Queue':
        if (props.KmsMasterKeyId !== undefined) counts.encryptedQueues++;
        break;
      default:
        break;
    }
  }
  return counts;
}
