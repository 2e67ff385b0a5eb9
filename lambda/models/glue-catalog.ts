/** The Glue port of the model runner: read a table (location, parameters), delete a staging table. */
import { DeleteTableCommand, GetTableCommand, GetTablesCommand, GlueClient } from '@aws-sdk/client-glue';

export interface TableInfo {
  readonly name: string;
  readonly location?: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly createTime?: Date;
}

export interface Catalog {
  getTable(database: string, name: string): Promise<TableInfo | undefined>;
  /** Deletes a table; a table that is already gone is fine. */
  deleteTable(database: string, name: string): Promise<void>;
  /** Tables whose name starts with `prefix`. */
  listTables(database: string, prefix: string): Promise<TableInfo[]>;
}

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
