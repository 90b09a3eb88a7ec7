// The HTTP side every AWS JSON 1.1 stand-in shares (Athena, Glue): POST on loopback, the operation in
// `X-Amz-Target: <Service>.<Operation>`, a JSON body in and out, errors as `{__type, Message}` with 400.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AwsJsonReply {
  status: number;
  body: unknown;
}

export const ok = (body: unknown): AwsJsonReply => ({ status: 200, body });
export const fail = (type: string, message: string): AwsJsonReply => ({
  status: 400,
  body: { __type: type, Message: message },
});

export async function serveAwsJson(
  service: string,
  handle: (operation: string, body: Record<string, any>) => AwsJsonReply | Promise<AwsJsonReply>,
): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d) => {
      raw += d;
    });
    req.on('end', async () => {
      const op = String(req.headers['x-amz-target'] ?? '').replace(`${service}.`, '');
      const reply = await Promise.resolve(handle(op, JSON.parse(raw || '{}') as Record<string, any>)).catch(
        (e: Error) => fail('InternalServerException', e.message),
      );
      res.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
