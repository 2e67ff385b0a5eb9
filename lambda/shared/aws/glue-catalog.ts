/**
 * The Glue ports (ports.ts): `Catalog` (read a table's location and parameters, list and delete
 * temporary tables: the model runner, the big-file route) and `ContractSource` (a dataset's
 * contract from its clean table: the transform, the big-file route).
 */
import { DeleteTableCommand, GetTableCommand, GetTablesCommand, GlueClient } from '@aws-sdk/client-glue';
import { CONTRACT_PARAMETER, parseContract, type DatasetContract } from '../dataset';
import type { Catalog, ContractSource, TableInfo } from '../ports';

function isNotFound(e: unknown): boolean {
  return (e as { name?: string })?.name === 'EntityNotFoundException';
}

export class GlueCatalog implements Catalog {
  constructor(private readonly client: GlueClient) {}

  async getTable(database: string, name: string): Promise<TableInfo | undefined> {
    try {
      const got = await this.client.send(new GetTableCommand({ DatabaseName: database, Name: name }));
      const t = got.Table;
      if (!t) return undefined;
      return { name: t.Name ?? name, location: t.StorageDescriptor?.Location, parameters: t.Parameters ?? {}, createTime: t.CreateTime };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async deleteTable(database: string, name: string): Promise<void> {
    try {
      await this.client.send(new DeleteTableCommand({ DatabaseName: database, Name: name }));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  async listTables(database: string, prefix: string): Promise<TableInfo[]> {
    const out: TableInfo[] = [];
    let token: string | undefined;
    do {
      // Expression is a regular expression over table names.
      const page = await this.client.send(new GetTablesCommand({ DatabaseName: database, Expression: `${prefix}.*`, NextToken: token }));
      for (const t of page.TableList ?? []) {
        if (t.Name?.startsWith(prefix)) out.push({ name: t.Name, location: t.StorageDescriptor?.Location, parameters: t.Parameters ?? {}, createTime: t.CreateTime });
      }
      token = page.NextToken;
    } while (token);
    return out;
  }
}

export class GlueContractSource implements ContractSource {
  constructor(private readonly glue: GlueClient) {}

  async get(database: string, table: string): Promise<DatasetContract> {
    const out = await this.glue.send(new GetTableCommand({ DatabaseName: database, Name: table }));
    const text = out.Table?.Parameters?.[CONTRACT_PARAMETER];
    if (!text) {
      throw new Error(`Glue table ${database}.${table} has no ${CONTRACT_PARAMETER} parameter. Fix: deploy the dataset's stack, which writes it.`);
    }
    return parseContract(text);
  }
}
