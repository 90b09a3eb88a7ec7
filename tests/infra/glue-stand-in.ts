// A stand-in for the Glue Data Catalog's table API on loopback (AWS JSON 1.1, `X-Amz-Target: AWSGlue.<Operation>`),
// for bundle tests that run the refresh from its asset with AWS_ENDPOINT_URL_GLUE pointing here. It models what
// the analysts' catalogue (functions/src/adapters/glue-catalog.ts) relies on, from Glue's API reference:
// - GetTable: EntityNotFoundException for a table (or database) that does not exist;
// - CreateTable: AlreadyExistsException when the table exists; EntityNotFoundException for an unknown database
//   (the stack creates the database; the function only creates tables in it);
// - UpdateTable: EntityNotFoundException when the table does not exist; it replaces the table's definition.
// Every other operation is refused, so a bundle that starts relying on one fails here first.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  const answer = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d) => {
      raw += d;
    });
    req.on('end', () => {
      const op = String(req.headers['x-amz-target'] ?? '').replace('AWSGlue.', '');
      const body = JSON.parse(raw || '{}') as Record<string, any>;
      calls.push(op);
      const fail = (type: string, message: string) => answer(res, 400, { __type: type, Message: message });
      const database = String(body.DatabaseName ?? '');
      if (!databases.includes(database))
        return fail('EntityNotFoundException', `Database ${database} not found.`);
      const name = String(op === 'GetTable' ? body.Name : body.TableInput?.Name).toLowerCase();
      const id = `${database}.${name}`;
      if (op === 'GetTable') {
        const t = tables.get(id);
        return t
          ? answer(res, 200, { Table: { ...t, DatabaseName: database } })
          : fail('EntityNotFoundException', `Table ${name} not found.`);
      }
      if (op === 'CreateTable') {
        if (tables.has(id)) return fail('AlreadyExistsException', `Table already exists.`);
        tables.set(id, body.TableInput);
        return answer(res, 200, {});
      }
      if (op === 'UpdateTable') {
        if (!tables.has(id)) return fail('EntityNotFoundException', `Table ${name} not found.`);
        tables.set(id, body.TableInput);
        return answer(res, 200, {});
      }
      return fail('InvalidInputException', `operation not modelled: ${op}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    tables,
    calls,
    async stop() {
      await new Promise((r) => server.close(r));
    },
  };
}
