import { GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { GlueContractSource } from '../../../../lambda/shared/aws/glue-catalog';
import { CONTRACT_PARAMETER } from '../../../../lambda/shared/dataset';
import { ORDERS } from '../../transform/helpers';

describe('GlueContractSource (aws-sdk-client-mock)', () => {
  const glueMock = mockClient(GlueClient);
  beforeEach(() => glueMock.reset());

  test('GlueContractSource reads the contract parameter, and fails without it', async () => {
    glueMock.on(GetTableCommand, { DatabaseName: 'sales', Name: 'orders' }).resolves({ Table: { Name: 'orders', Parameters: { [CONTRACT_PARAMETER]: JSON.stringify(ORDERS) } } });
    glueMock.on(GetTableCommand, { DatabaseName: 'sales', Name: 'bare' }).resolves({ Table: { Name: 'bare', Parameters: {} } });
    const source = new GlueContractSource(new GlueClient({}));
    await expect(source.get('sales', 'orders')).resolves.toEqual(ORDERS);
    await expect(source.get('sales', 'bare')).rejects.toThrow(/has no lakehouse.contract parameter/);
  });
});
