/**
 * What a data engineer writes in `lib/domains/<domain>.ts`:
 *
 *   import { defineDomain } from '../domain-definition';
 *   export default defineDomain({ name: 'sales', owner: 'sales-analytics', costCenter: 'cc-2000', datasets: [...] });
 *
 * The file is discovered automatically (`lib/domains/index.ts`); nothing else is edited.
 */
import { DomainDefinition } from '../lambda/shared/dataset';

export type { ColumnDefinition, DatasetDefinition, DomainDefinition } from '../lambda/shared/dataset';

/** Types the declaration; checks happen when the domain stack is built (with the construct path). */
export function defineDomain(definition: DomainDefinition): DomainDefinition {
  return definition;
}
