/** What a written matrix cell reaches, for the data-flow diagrams and the diff (lib/report/data-flow/access.ts). */
import type { WrittenCell } from '../../lib/governance/matrix-files';
import { FOREIGN_PROBE_KEY } from '../../lib/governance/probe-keys';
import { allowedPrefixes, PrincipalAccess, reachFor } from '../../lib/report/data-flow/access';
import { renderDiffMarkdown } from '../../lib/report/render-diff';

const partial = (allowed: string[], denied: string[]): Pick<WrittenCell, 'decision' | 'outcomes'> =>
  ({
    decision: 'partial',
    outcomes: [
      { decision: 'allow', keys: allowed, allowedBy: ['x'], deniedBy: [] },
      { decision: 'implicit-deny', keys: denied, allowedBy: [], deniedBy: [] },
    ],
  }) as unknown as Pick<WrittenCell, 'decision' | 'outcomes'>;

describe('allowedPrefixes', () => {
  test('a cell allowed on the fresh key reaches every prefix but the denied ones, not a prefix named after the probe', () => {
    const cell = partial([FOREIGN_PROBE_KEY, 'sales/governance-probe/object'], ['web/governance-probe/object']);
    expect(allowedPrefixes(cell)).toEqual(['sales', '* except web']);
    // A renamed fresh key (when a literal covers the first) is the same.
    expect(allowedPrefixes(partial([`z-${FOREIGN_PROBE_KEY}`], ['web/governance-probe/object']))).toEqual(['* except web']);
  });

  test('literal prefixes for the diff: a grant widened from one dataset to its domain is a change', () => {
    const narrow = partial(['sales/orders/governance-probe'], ['sales/governance-probe/object', FOREIGN_PROBE_KEY]);
    const wide = partial(['sales/orders/governance-probe', 'sales/governance-probe/object'], [FOREIGN_PROBE_KEY]);
    expect(allowedPrefixes(narrow, 'literal')).toEqual(['sales/orders']);
    expect(allowedPrefixes(wide, 'literal')).toEqual(['sales', 'sales/orders']);
    // The diagrams see both as the domain.
    expect(allowedPrefixes(narrow)).toEqual(['sales']);
  });
});

describe('reachFor', () => {
  const role = (read: string[]): PrincipalAccess => ({ id: 'R', kind: 'analyst', zones: { raw: { read, write: [] } } });
  test('every prefix but some reaches the domains it does not leave out, as the whole zone', () => {
    expect(reachFor(role(['* except web']), 'raw', 'read', 'sales')).toEqual(['*']);
    expect(reachFor(role(['* except web']), 'raw', 'read', 'web')).toEqual([]);
    expect(reachFor(role(['sales']), 'raw', 'read', 'sales')).toEqual(['sales']);
  });
});

test('the diff names every prefix but some in words', () => {
  const md = renderDiffMarkdown({
    baseDir: 'base',
    access: {
      granted: 1,
      revoked: 0,
      callouts: [],
      calloutCount: 0,
      changes: [{ change: 'granted', principal: 'P', kind: 'analyst', zone: 'raw', action: 's3:GetObject', prefix: '* except web' }],
      principalsAdded: [],
      principalsRemoved: [],
      domains: new Set(),
    },
    findings: [],
    acknowledgements: [],
    stacks: [],
  } as never);
  expect(md).toContainEqual('| **granted** | `P` | analyst | raw | s3:GetObject | (every prefix but web/) |');
});
