// The API document cannot drift (issue 25, item 10): every answer the test client receives from /api/v1 is
// checked against the documented answer of its route and status — the status must be documented, the media
// type must be one the document lists, and a JSON body must validate against its schema (JSON Schema 2020-12,
// ajv). A path that names no route must answer a documented gate error (404 ApiError, 400, 421).

import { openApiDocument } from '@scorecard/functions/api/openapi.ts';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
}

const doc = openApiDocument() as { paths: Record<string, Record<string, Operation>>; components: Json };

const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema({ $id: 'openapi', components: doc.components });

const compiled = new Map<string, ValidateFunction>();
function validator(key: string, schema: Json): ValidateFunction {
  let v = compiled.get(key);
  if (!v) {
    // Local references (#/components/schemas/X) resolve in the document registered above.
    const text = JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/');
    v = ajv.compile(JSON.parse(text) as Json);
    compiled.set(key, v);
  }
  return v;
}

const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    pattern: new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
    op,
  })),
);

function operationFor(method: string, pathname: string) {
  const candidates = routes.filter((r) => r.method === method && r.pattern.test(pathname));
  // Exact routes win over parameterised ones (access.ts accessFor).
  return candidates.sort((a, b) => a.path.split('{').length - b.path.split('{').length)[0];
}

export class UndocumentedAnswer extends Error {}

/** Throws UndocumentedAnswer when `response` (to `method url`) is not what the document promises. */
export async function checkAnswer(method: string, url: string, response: Response): Promise<void> {
  const { pathname } = new URL(url);
  if (!pathname.startsWith('/api/v1/') && pathname !== '/api/v1') return;
  const route = operationFor(method, pathname);
  const where = `${method} ${pathname} → ${response.status}`;
  if (!route) {
    // No such route: only the gate answers, with a documented error.
    if (![400, 404, 405, 421].includes(response.status))
      throw new UndocumentedAnswer(`${where}: no route documents this path`);
    const body = await response.clone().text();
    if (response.status !== 405 && body !== '') {
      const v = validator('ApiError', { $ref: '#/components/schemas/ApiError' });
      if (!v(JSON.parse(body))) throw new UndocumentedAnswer(`${where}: ${ajv.errorsText(v.errors)}`);
    }
    return;
  }
  const answer = route.op.responses[String(response.status)];
  if (!answer)
    throw new UndocumentedAnswer(`${where}: status not documented for ${route.method} ${route.path}`);
  if (response.status === 304 || method === 'HEAD') return;
  const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const content = answer.content ?? {};
  if (Object.keys(content).length === 0) {
    if ((await response.clone().arrayBuffer()).byteLength > 0)
      throw new UndocumentedAnswer(`${where}: a body where none is documented`);
    return;
  }
  const media = content[type];
  if (!media)
    throw new UndocumentedAnswer(
      `${where}: content-type ${type || '(none)'} not documented (${Object.keys(content).join(', ')})`,
    );
  if (type !== 'application/json' || !media.schema) return;
  const text = await response.clone().text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new UndocumentedAnswer(`${where}: not JSON: ${text.slice(0, 120)}`);
  }
  const v = validator(`${route.method} ${route.path} ${response.status}`, media.schema);
  if (!v(body)) {
    const errors = (v.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
    throw new UndocumentedAnswer(
      `${where}: the answer contradicts its documented schema: ${errors.join('; ')}`,
    );
  }
}
