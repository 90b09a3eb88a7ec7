// A stand-in for the Glue Data Catalog's table API on loopback (AWS JSON 1.1, `X-Amz-Target: AWSGlue.<Operation>`),
// for bundle tests that run the refresh from its asset with AWS_ENDPOINT_URL_GLUE pointing here. It models what
// the analysts' catalogue (functions/src/adapters/glue-catalog.ts) relies on, from Glue's API reference:
// - GetTable: EntityNotFoundException for a table (or database) that does not exist;
// - CreateTable: AlreadyExistsException when the table exists; EntityNotFoundException for an unknown database
//   (the stack creates the database; the function only creates tables in it);
// - UpdateTable: EntityNotFoundException when the table does not exist; it replaces the table's definition.
// Every other operation is refused, so a bundle that starts relying on one fails here first.
import { fail, ok, serveAwsJson } from './aws-json-stand-in.ts';

export interface GlueStandIn {
  endpoint: string;
  /** `database.table` → the TableInput last stored. */
  tables: Map<string, Record<string, any>>;
  calls: string[];
  stop(): Promise<void>;
}

export async function startGlueStandIn(databases: readonly string[]): Promise<GlueStandIn> {
  const tables = new Map<string, Record<string, any>>();
  const calls: string[] = [];
  const server = await serveAwsJson('AWSGlue', (op, body) => {
    calls.push(op);
    const database = String(body.DatabaseName ?? '');
    if (!databases.includes(database))
      return fail('EntityNotFoundException', `Database ${database} not found.`);
    const name = String(op === 'GetTable' ? body.Name : body.TableInput?.Name).toLowerCase();
    const id = `${database}.${name}`;
    if (op === 'GetTable') {
      const t = tables.get(id);
      return t
        ? ok({ Table: { ...t, DatabaseName: database } })
        : fail('EntityNotFoundException', `Table ${name} not found.`);
    }
    if (op === 'CreateTable') {
      if (tables.has(id)) return fail('AlreadyExistsException', `Table already exists.`);
      tables.set(id, body.TableInput);
      return ok({});
    }
    if (op === 'UpdateTable') {
      if (!tables.has(id)) return fail('EntityNotFoundException', `Table ${name} not found.`);
      tables.set(id, body.TableInput);
      return ok({});
    }
    return fail('InvalidInputException', `operation not modelled: ${op}`);
  });
  return {
    endpoint: server.endpoint,
    tables,
    calls,
    stop: () => server.close(),
  };
}
