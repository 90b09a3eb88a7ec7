// Request bodies of the JSON routes, checked by @hono/zod-validator against the schemas the OpenAPI document
// shows (data-contracts/src/api.ts), so what is documented is what is enforced. Hono's JSON validator reads a
// body only when it is declared JSON and treats any other as `{}`, and it throws on unreadable JSON; so this
// reads first: a body not declared `application/json` is 415 json_required (a CORS-simple text/plain POST never
// reaches a route), unreadable JSON gets the route's own answer, and so does a body the schema refuses (each
// route keeps the status and shape docs/interfaces.md promises). The body is read once: Hono caches it.
import { zValidator } from '@hono/zod-validator';
import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import type { ApiEnv } from './env.ts';
import { apiError } from './respond.ts';

/** The media type of a Content-Type header, parsed (type/subtype before any parameter, case-insensitive). */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export interface BodyAnswers {
  /** The body is not JSON at all. */
  malformed: (c: Context<ApiEnv>) => Response | Promise<Response>;
  /** The body is JSON that the schema refuses: its issues, and the body as sent. */
  invalid: (
    c: Context<ApiEnv>,
    issues: readonly z.core.$ZodIssue[],
    body: unknown,
  ) => Response | Promise<Response>;
}

const readsJson = (answers: BodyAnswers): MiddlewareHandler<ApiEnv> =>
  async function readJson(c, next) {
    if (mediaType(c.req.header('content-type')) !== 'application/json')
      return apiError(c, 415, 'json_required');
    try {
      await c.req.json();
    } catch {
      return answers.malformed(c);
    }
    await next();
  };

/** `app.post(path, ...jsonBody(Schema, answers), handler)`; the handler reads `c.req.valid('json')`. */
export function jsonBody<S extends z.ZodType>(schema: S, answers: BodyAnswers) {
  return [
    readsJson(answers),
    zValidator('json', schema, (result, c) => {
      if (!result.success) return answers.invalid(c as Context<ApiEnv>, result.error.issues, result.data);
    }),
  ] as const;
}
