import { parseModelFile } from '../../../../lambda/shared/models/syntax';
import { parseModelSpec, resolveModel, serialiseModelSpec } from '../../../../lambda/shared/models/spec';
import { SALES, WEB_EVENTS, exampleModelText } from '../../models/fixtures';
import { HEADER, dailyRevenue, parse } from './helpers';

describe('resolution against the domain', () => {
  test('resolves inputs to their clean partition names and prefixes', () => {
    const spec = dailyRevenue();
    expect(spec.inputs).toEqual([{ database: 'sales_clean', dataset: 'orders', partitionName: 'ordered_at_date', prefix: 'sales/orders/' }]);
    const web = resolveModel(parseModelFile(exampleModelText('web_events', 'daily_page_views'), { domain: 'web_events', file: 'daily_page_views.sql' }), WEB_EVENTS);
    expect(web.inputs).toEqual([{ database: 'web_events_clean', dataset: 'page_views', partitionName: 'event_date', prefix: 'web_events/page_views/' }]);
  });

  test('fails if the model reads a dataset the domain does not declare (file, line, fix)', () => {
    const m = parse([...HEADER, 'SELECT *', 'FROM sales_clean.refunds'].join('\n'));
    expect(() => resolveModel(m, SALES)).toThrow(/m\.sql:6: sales_clean\.refunds is not a dataset of domain sales\. Fix: read one of sales_clean\.orders/);
  });

  test('the spec survives the Glue parameter round trip; a malformed one is rejected', () => {
    const spec = dailyRevenue();
    expect(parseModelSpec(serialiseModelSpec(spec))).toEqual(spec);
    expect(() => parseModelSpec('{')).toThrow(/not JSON/);
    expect(() => parseModelSpec(JSON.stringify({ ...spec, version: 2 }))).toThrow(/unknown version/);
    expect(() => parseModelSpec(JSON.stringify({ ...spec, partition: 'currency' }))).toThrow(/not a date column/);
    expect(() => parseModelSpec(JSON.stringify({ ...spec, inputs: [] }))).toThrow(/inputs/);
  });
});
