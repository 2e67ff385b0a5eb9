import { DatasetDefinition, DomainDefinition } from '../../../lambda/shared/dataset';
import { RESERVED_WORDS, validateDomainDefinition } from '../../../constructs/domain/validate';

const dataset: DatasetDefinition = {
  name: 'orders',
  format: 'csv',
  columns: [
    { name: 'order_id', type: 'bigint', required: true },
    { name: 'amount', type: 'decimal(12,2)', range: { min: 0 } },
    { name: 'ordered_at', type: 'timestamp', required: true },
  ],
  partition: { column: 'ordered_at' },
  freshnessSlaHours: 24,
};
const domain: DomainDefinition = { name: 'sales', owner: 'team', costCenter: 'cc-1', datasets: [dataset] };

function problemsOf(d: DomainDefinition) {
  return validateDomainDefinition(d).map((p) => `${p.code} ${p.at}: ${p.problem}`);
}
function withDataset(overrides: Partial<DatasetDefinition>): DomainDefinition {
  return { ...domain, datasets: [{ ...dataset, ...overrides }] };
}

describe('domain definition checks', () => {
  test('a good definition has no problems', () => {
    expect(validateDomainDefinition(domain)).toEqual([]);
  });

  test.each<[string, DomainDefinition, RegExp]>([
    ['the domain name is not snake case', { ...domain, name: 'Sales-EU' }, /LH100 name: .*lower snake case/],
    ['the domain name is over 40 characters', { ...domain, name: 'a'.repeat(41) }, /LH100 name: .*at most 40/],
    ['the domain name is reserved', { ...domain, name: 'table' }, /LH100 name: "table" is an Athena reserved word/],
    ['the owner is missing', { ...domain, owner: '' }, /LH101 owner/],
    ['there is no dataset', { ...domain, datasets: [] }, /LH102 datasets/],
    ['two datasets share a name', { ...domain, datasets: [dataset, dataset] }, /LH103 datasets\[1\]\.name: duplicate dataset name/],
    ['a dataset name is reserved', withDataset({ name: 'select' }), /LH103 datasets\[0\]\.name: "select" is an Athena reserved word/],
    ['the format is unknown', withDataset({ format: 'xml' as any }), /LH104 datasets\[0\]\.format/],
    ['the freshness SLA is zero', withDataset({ freshnessSlaHours: 0 }), /LH105/],
    ['a column name is invalid', withDataset({ columns: [...dataset.columns, { name: 'Order Date', type: 'date' }] }), /LH107 datasets\[0\]\.columns\[3\]\.name/],
    ['a column name is over 255 characters', withDataset({ columns: [...dataset.columns, { name: 'c'.repeat(256), type: 'date' }] }), /LH107 .*at most 255/],
    ['a column name is reserved', withDataset({ columns: [...dataset.columns, { name: 'date', type: 'date' }] }), /LH107 .*"date" is an Athena reserved word/],
    ['two columns share a name', withDataset({ columns: [...dataset.columns, { name: 'order_id', type: 'int' }] }), /LH107 .*duplicate column name/],
    ['a type is unknown', withDataset({ columns: [...dataset.columns, { name: 'x', type: 'float' as any }] }), /LH108 datasets\[0\]\.columns\[3\]\.type/],
    ['a decimal scale exceeds its precision', withDataset({ columns: [...dataset.columns, { name: 'x', type: 'decimal(4,5)' as any }] }), /LH108/],
    ['a range is on a string', withDataset({ columns: [...dataset.columns, { name: 'x', type: 'string', range: { min: 1 } }] }), /LH109 .*numeric columns only/],
    ['a range is inverted', withDataset({ columns: [...dataset.columns, { name: 'x', type: 'int', range: { min: 5, max: 1 } }] }), /LH109 .*greater than/],
    ['an allowed value is not an int', withDataset({ columns: [...dataset.columns, { name: 'x', type: 'int', allowedValues: ['1', '1.5'] }] }), /LH109 datasets\[0\]\.columns\[3\]\.allowedValues\[1\]: the allowed value is not an integer/],
    ['an allowed value is out of range for int', withDataset({ columns: [...dataset.columns, { name: 'x', type: 'int', allowedValues: ['2147483648'] }] }), /LH109 .*out of range for int/],
    ['an allowed value has too many digits for its decimal', withDataset({ columns: [...dataset.columns, { name: 'x', type: 'decimal(2,2)', allowedValues: ['1'] }] }), /LH109 .*more than 0 integer digits for decimal\(2,2\)/],
    ['an allowed value is not a boolean', withDataset({ columns: [...dataset.columns, { name: 'x', type: 'boolean', allowedValues: ['yes'] }] }), /LH109 .*not true or false/],
    ['an allowed value is not a calendar date', withDataset({ columns: [...dataset.columns, { name: 'x', type: 'date', allowedValues: ['2023-02-29'] }] }), /LH109 .*not a date/],
    ['an allowed timestamp has no offset', withDataset({ columns: [...dataset.columns, { name: 'x', type: 'timestamp', allowedValues: ['2024-01-01T00:00:00'] }] }), /LH109 .*timestamp with an offset/],
    ['an allowed value is empty', withDataset({ columns: [...dataset.columns, { name: 'x', type: 'string', allowedValues: ['a', ' '] }] }), /LH109 .*is empty/],
    ['the partition column is unknown', withDataset({ partition: { column: 'shipped_at' } }), /LH110 datasets\[0\]\.partition\.column: the partition column is not one of the dataset columns/],
    ['the partition column is not a date', withDataset({ partition: { column: 'order_id' } }), /LH110 .*must be a date or timestamp \(it is bigint\)/],
    ['the partition name collides', withDataset({ partition: { column: 'ordered_at', name: 'order_id' } }), /LH110 datasets\[0\]\.partition\.name: .*collides/],
    ['the partition is missing', withDataset({ partition: undefined as any }), /LH110 datasets\[0\]\.partition: a dataset declares its partition/],
    ['a dataset partitions by a column and by arrival', withDataset({ partition: { column: 'ordered_at', arrival: true } }), /LH110 datasets\[0\]\.partition: a dataset partitions by a column or by arrival, not both/],
    ['arrival is not true', withDataset({ partition: { arrival: 'yes' as any } }), /LH110 datasets\[0\]\.partition\.arrival: arrival is true or left out/],
    ['the arrival partition name is a column', withDataset({ columns: [...dataset.columns, { name: 'arrival_date', type: 'date' }], partition: { arrival: true } }), /LH110 datasets\[0\]\.partition: the partition name arrival_date is also a column/],
    ['the arrival partition name is invalid', withDataset({ partition: { arrival: true, name: 'Arrived On' } }), /LH110 datasets\[0\]\.partition\.name: a partition name is lower snake case/],
    ['a CSV dialect on an NDJSON dataset', withDataset({ format: 'ndjson', csv: { delimiter: ';' } }), /LH111 datasets\[0\]\.csv: a CSV dialect applies to CSV datasets only/],
    ['a delimiter of more than one character', withDataset({ csv: { delimiter: ';;' as any } }), /LH111 datasets\[0\]\.csv\.delimiter: a delimiter is one character/],
    ['a delimiter the transform does not read', withDataset({ csv: { delimiter: ':' as any } }), /LH111 datasets\[0\]\.csv\.delimiter: the delimiter is not one the transform reads/],
    ['a quote of two characters', withDataset({ csv: { quote: '""' } }), /LH111 datasets\[0\]\.csv\.quote: the quote character is one printable ASCII character/],
    ['a letter as the escape', withDataset({ csv: { escape: 'e' } }), /LH111 datasets\[0\]\.csv\.escape: the escape character is one printable ASCII character that is not a letter/],
    ['the quote is the delimiter', withDataset({ csv: { delimiter: '|', quote: '|' } }), /LH111 datasets\[0\]\.csv\.quote: the quote character is the delimiter/],
    ['header is not a boolean', withDataset({ csv: { header: 'no' as any } }), /LH111 datasets\[0\]\.csv\.header: header is true/],
    ['an unknown encoding', withDataset({ encoding: 'ebcdic' as any }), /LH112 datasets\[0\]\.encoding: unknown encoding/],
    ['UTF-16 declared', withDataset({ encoding: 'utf-16le' as any }), /LH112 datasets\[0\]\.encoding: UTF-16 is not declared: it is detected by its byte-order mark/],
    ['a header mapping that two columns share', withDataset({ columns: [{ ...dataset.columns[0], header: 'Order' }, { ...dataset.columns[1], header: ' ORDER ' }, dataset.columns[2]] }), /LH113 datasets\[0\]\.columns\[1\]\.header: columns\[0\] and columns\[1\] both read the source's header " ORDER "/],
    ['a header mapping that is another column\'s name', withDataset({ columns: [...dataset.columns, { name: 'amount_eur', type: 'string', header: 'amount' }] }), /LH113 datasets\[0\]\.columns\[3\]\.header: columns\[1\] and columns\[3\] both read the source's header "amount"/],
    ['NDJSON keys that two columns share', withDataset({ format: 'ndjson', columns: [...dataset.columns, { name: 'amount_text', type: 'string', header: 'amount' }] }), /LH113 .*both read the source's key "amount"$/],
    ['an empty header mapping', withDataset({ columns: [...dataset.columns, { name: 'x', type: 'string', header: ' ' }] }), /LH113 datasets\[0\]\.columns\[3\]\.header: a header mapping is the source's non-empty column name/],
    ['a header mapping on a header-less file', withDataset({ csv: { header: false }, columns: [...dataset.columns, { name: 'x', type: 'string', header: 'X' }] }), /LH113 .*csv\.header: false, so there is no header to map/],
    ['a unique key that is empty', withDataset({ uniqueKey: [] }), /LH114 datasets\[0\]\.uniqueKey: a unique key lists at least one column/],
    ['a unique key with an unknown column', withDataset({ uniqueKey: ['order_id', 'line'] }), /LH114 datasets\[0\]\.uniqueKey\[1\]: the unique key names a column the dataset does not have/],
    ['a unique key that repeats a column', withDataset({ uniqueKey: ['order_id', 'order_id'] }), /LH114 datasets\[0\]\.uniqueKey\[1\]: the unique key lists a column twice/],
  ])('reports when %s', (_name, def, expected) => {
    expect(problemsOf(def).join('\n')).toMatch(expected);
  });

  test('accepts allowed values that are valid for their type', () => {
    const columns = [
      ...dataset.columns,
      { name: 'i', type: 'int' as const, allowedValues: ['-2147483648', '0', ' 7 '] },
      { name: 'd', type: 'decimal(4,2)' as const, allowedValues: ['12.50', '.5', '-0'] },
      { name: 'f', type: 'double' as const, allowedValues: ['1e3', '-0.5'] },
      { name: 'b', type: 'boolean' as const, allowedValues: ['true', 'FALSE'] },
      { name: 'on_day', type: 'date' as const, allowedValues: ['2024-02-29'] },
      { name: 'at_time', type: 'timestamp' as const, allowedValues: ['2024-01-01 00:00:00.5+01:00'] },
    ];
    expect(problemsOf(withDataset({ columns }))).toEqual([]);
  });

  test('accepts every file option in its valid forms', () => {
    const columns = [
      { name: 'customer_id', type: 'bigint' as const, required: true, header: 'Customer ID' },
      { name: 'contact_phone', type: 'string' as const, header: 'Contact Phone Number' },
    ];
    for (const csv of [{ delimiter: ';' as const }, { delimiter: '\t' as const, quote: "'" }, { delimiter: '|' as const, escape: '\\' }, { header: true }]) {
      expect(problemsOf(withDataset({ columns, csv, encoding: 'windows-1252', partition: { arrival: true }, uniqueKey: ['customer_id'] }))).toEqual([]);
    }
    expect(problemsOf(withDataset({ columns: columns.map(({ header: _h, ...c }) => c), csv: { header: false }, encoding: 'latin-1', partition: { arrival: true, name: 'received_on' } }))).toEqual([]);
    expect(problemsOf(withDataset({ format: 'ndjson', columns, encoding: 'utf-8', partition: { arrival: true } }))).toEqual([]);
  });

  test('a dataset without a date column is told to partition by arrival', () => {
    expect(validateDomainDefinition(withDataset({ columns: [{ name: 'sku', type: 'string' }], partition: { column: 'created_at' } }))[0]).toMatchObject({
      code: 'LH110',
      fix: 'the dataset has no date or timestamp column: partition by the date the file arrived, partition: { arrival: true }',
    });
  });

  test('the reserved-word list includes the words Athena DDL rejects unquoted', () => {
    for (const w of ['select', 'from', 'table', 'partition', 'date', 'timestamp', 'user', 'order', 'group']) expect(RESERVED_WORDS.has(w)).toBe(true);
  });

  test.each<[string, DomainDefinition, RegExp]>([
    ['a negative volume figure', withDataset({ volume: { filesPerDay: 1, bytesPerDay: -1, rowsPerDay: 1 } }), /^LH190 datasets\[0\]\.volume\.bytesPerDay: bytesPerDay is a number ≥ 0$/],
    ['bytes without files', withDataset({ volume: { filesPerDay: 0, bytesPerDay: 10, rowsPerDay: 1 } }), /^LH190 datasets\[0\]\.volume\.filesPerDay: bytes and rows arrive in files/],
    ['a growth of -100 %', withDataset({ volume: { filesPerDay: 1, bytesPerDay: 1, rowsPerDay: 1, monthlyGrowth: -1 } }), /^LH190 datasets\[0\]\.volume\.monthlyGrowth/],
    ['a budget of 0', { ...domain, monthlyBudgetUsd: 0 }, /^LH191 monthlyBudgetUsd: a monthly budget is a positive number/],
  ])('fails if %s', (_label, def, expected) => {
    expect(problemsOf(def)).toEqual([expect.stringMatching(expected)]);
  });

  test('a declared volume and budget are accepted', () => {
    expect(validateDomainDefinition({ ...withDataset({ volume: { filesPerDay: 24, bytesPerDay: 1e9, rowsPerDay: 1e7, monthlyGrowth: 0.05 } }), monthlyBudgetUsd: 50 })).toEqual([]);
  });
});

