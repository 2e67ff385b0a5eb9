import type { DomainDefinition } from '../../lambda/shared/dataset';

/**
 * A domain with the file options spreadsheets and exports need: a `;`-separated Windows-1252
 * customer list with English headers and no date column (partitioned by arrival), a header-less
 * tab-separated file, and NDJSON with a mapped key.
 */
export const CRM_DOMAIN: DomainDefinition = {
  name: 'crm',
  owner: 'crm-team',
  costCenter: 'cc-4000',
  datasets: [
    {
      name: 'customers',
      format: 'csv',
      csv: { delimiter: ';', escape: '\\', header: true },
      encoding: 'windows-1252',
      columns: [
        { name: 'customer_id', type: 'bigint', required: true, header: 'Customer ID' },
        { name: 'name', type: 'string', required: true, header: 'Name' },
        { name: 'contact_phone', type: 'string', header: 'Contact Phone Number' },
      ],
      partition: { arrival: true },
      freshnessSlaHours: 24,
    },
    {
      name: 'notes',
      format: 'csv',
      csv: { delimiter: '\t', header: false },
      columns: [
        { name: 'note_id', type: 'int' },
        { name: 'body', type: 'string' },
      ],
      partition: { arrival: true },
      freshnessSlaHours: 24,
    },
    { name: 'events', format: 'ndjson', columns: [{ name: 'event_id', type: 'string', header: 'Event ID' }], partition: { arrival: true, name: 'received_on' }, freshnessSlaHours: 24 },
  ],
};
