/**
 * Renders the README's zone table from the zone model and the environment configuration, so the
 * documentation cannot drift from the code (a test compares the README with this output).
 */
import { ZONE_NAMES, ZONE_POLICIES, ZoneName, ZoneWriter } from '../../lambda/shared/zones';
import { ZoneLifecycle } from '../../constructs/zones/lifecycle';
import { EnvironmentConfig } from '../config';

const WRITERS: Record<ZoneWriter, string> = {
  ingest: 'ingest roles (own prefix, new objects only)',
  pipeline: 'pipeline roles (own domain prefix)',
  analyst: 'analysts (own workspace prefix)',
  's3-logging': 'S3 log delivery',
  athena: 'Athena, as the querying role (own workgroup prefix)',
};

export function describeLifecycle(l: ZoneLifecycle): string {
  const parts: string[] = [];
  if (l.infrequentAccessAfterDays !== undefined) parts.push(`IA @${l.infrequentAccessAfterDays}d`);
  if (l.intelligentTieringAfterDays !== undefined) parts.push(`Int-Tiering @${l.intelligentTieringAfterDays}d`);
  if (l.glacierInstantRetrievalAfterDays !== undefined) parts.push(`Glacier IR @${l.glacierInstantRetrievalAfterDays}d`);
  if (l.deepArchiveAfterDays !== undefined) parts.push(`Deep Archive @${l.deepArchiveAfterDays}d`);
  if (l.expireAfterDays !== undefined) parts.push(`expire @${l.expireAfterDays}d`);
  if (l.noncurrentExpireAfterDays !== undefined) parts.push(`old versions expire @${l.noncurrentExpireAfterDays}d`);
  return parts.join(', ');
}

function extras(zone: ZoneName, config: EnvironmentConfig): string {
  if (zone === 'raw') return ` + Object Lock ${config.rawObjectLock.mode.toLowerCase()} ${config.rawObjectLock.days}d`;
  if (zone === 'sandbox') return ` (hard cap) + janitor after ${config.sandbox.idleDays}d idle`;
  return '';
}

export function renderZoneTable(dev: EnvironmentConfig, prod: EnvironmentConfig): string {
  const rows = [
    '| zone | purpose | encryption | versioning | lifecycle (dev) | lifecycle (prod) | who may write |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const zone of ZONE_NAMES) {
    const p = ZONE_POLICIES[zone];
    rows.push(
      `| \`${zone}\` | ${p.purpose} | ${p.encryption === 'kms' ? 'SSE-KMS (lake key, bucket key)' : 'SSE-S3 (log delivery requires it)'} | ${p.versioned ? 'on' : 'off'} | ${describeLifecycle(dev.lifecycle[zone])}${extras(zone, dev)} | ${describeLifecycle(prod.lifecycle[zone])}${extras(zone, prod)} | ${p.writers.map((w) => WRITERS[w]).join('; ')} |`,
    );
  }
  return rows.join('\n');
}
