// The API: one Hono app — the gate (request id, headers, compression, access log, body limit, authentication and
// the role × route table) and the routes every function answers (health, the document, sign-in, me, years) —
// to which the caller mounts route groups (api/routes/): the local server mounts them all; each API Lambda
// mounts only its own, so its bundle carries only what those routes import (functions/src/entry/lambda/api-*.ts).
// The same app runs under @hono/node-server locally and on Lambda — it knows nothing of either.
import {
  COMMUNES,
  DemoLoginRequestSchema,
  LIMITS,
  PLAN,
  reportDeadlineUtc,
  yearInPlanZone,
} from '@scorecard/data-contracts';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX, compress } from 'hono/compress';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Actor, AuditLog } from '../ingest/audit.ts';
import type { IngestService } from '../ingest/ingest-service.ts';
import { SubmissionRegistry } from '../ingest/registry.ts';
import type { SubmissionHistory } from '../marts/history.ts';
import type { MartReader } from '../marts/marts.ts';
import type { ExportService } from '../packs/export-service.ts';
import type { Clock } from '../ports/clock.ts';
import type { ObjectStore } from '../ports/object-store.ts';
import { accessFor, grantFor, ROLES, type Role } from './access.ts';
import type { SqlDeps } from './admin.ts';
import type { TokenVerifier } from './auth.ts';
import type { ApiEnv } from './env.ts';
import { jsonBody, mediaType } from './json-body.ts';
import { openApiDocument } from './openapi.ts';
import { ARROW_TYPE, apiError } from './respond.ts';

/** What a route group gets: the app's ports, and what the app made of them. */
interface RouteContext {
  deps: ApiDeps;
  audit: AuditLog;
  registry: SubmissionRegistry;
  currentYear: () => number;
}

/** Mounts some of the API's routes (api/routes/): submissions and template, analysts' SQL, the reads. */
export type RouteGroup = (api: Hono<ApiEnv>, ctx: RouteContext) => void;

export interface ApiDeps {
  mode: 'local' | 'cloud';
  /** The route groups this process answers (the gate and the common routes are always there). */
  routes: readonly RouteGroup[];
  store: ObjectStore;
  clock: Clock;
  ingest: IngestService;
  marts: MartReader;
  tokens: TokenVerifier;
  sql?: Omit<SqlDeps, 'audit'>;
  /** Local mode only: the demo users' sign-in (local/sign-in.ts). */
  localSignIn?: LocalSignInPort;
  isDemo?: () => Promise<boolean>;
  /** The server's own view of its data: `degraded` names damaged files (integrity/verify.ts). */
  health?: () => { status: 'ok' } | { status: 'degraded'; damaged: string[] };
  onAccepted?: () => void;
  /** GET /submissions from this index when a marts refresher keeps it (the local server); else the register. */
  history?: SubmissionHistory;
  /** Meeting packs (local: DuckDB over the data folder; AWS: Athena). */
  exports?: ExportService;
  corsOrigin?: string;
  log?: (line: Record<string, unknown>) => void;
  /** Real elapsed milliseconds for rate limiting (tests pass a hand-moved counter). */
  elapsedMs?: () => number;
}

interface LocalSignInPort {
  sign(role: Role, commune?: string): Promise<string>;
  /** True once the data folder holds anything but the demo: signing in then needs the one-time code. */
  codeRequired(): Promise<boolean>;
  /** The same for display (the sign-in page), cached briefly: GET /auth/config is public and not rate-limited. */
  codeRequiredForDisplay(): Promise<boolean>;
  /** Checks a one-time code; a correct one is used up. */
  useCode(code: string): boolean;
}

/**
 * Fixed-window rate limit per token on write routes (generous: real bursts of uploads must pass). It measures
 * real elapsed time (`elapsedMs`), not the business clock, which SCORECARD_NOW may hold still.
 */
function rateLimiter(elapsedMs: () => number, perMinute: number) {
  const windows = new Map<string, { start: number; count: number }>();
  return (key: string): boolean => {
    const now = elapsedMs();
    const w = windows.get(key);
    if (!w || now - w.start >= 60_000) {
      windows.set(key, { start: now, count: 1 });
      if (windows.size > 10_000) windows.clear();
      return true;
    }
    w.count++;
    return w.count <= perMinute;
  };
}

export function createApi(deps: ApiDeps) {
  const audit: AuditLog = deps.ingest.audit;
  const registry = new SubmissionRegistry(deps.store, deps.clock, audit);
  const currentYear = () => {
    const y = yearInPlanZone(PLAN, deps.clock.now());
    return Math.min(Math.max(y, PLAN.years[0] as number), PLAN.years[PLAN.years.length - 1] as number);
  };
  const allowWrite = rateLimiter(deps.elapsedMs ?? (() => performance.now()), LIMITS.writeRateLimitPerMinute);
  const allowSignIn = rateLimiter(deps.elapsedMs ?? (() => performance.now()), LIMITS.signInRatePerMinute);
  const log = deps.log ?? ((line) => console.log(JSON.stringify(line)));

  const api = new Hono<ApiEnv>();
  api.use('*', requestId());
  api.use('*', secureHeaders());
  // Answers compressed when the client accepts it (gzip or deflate; JSON, Arrow, CSV, text — not the
  // already-zipped .xlsx or PDF): the national answers are megabytes as JSON (bench/README.md). ETags are weak
  // (respond.ts etagOf), so a 304 carries the tag of the 200 it stands for, compressed or not.
  api.use(
    '*',
    compress({
      contentTypeFilter: (type) => COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type) || type.startsWith(ARROW_TYPE),
    }),
  );
  if (deps.corsOrigin)
    api.use(
      '*',
      cors({ origin: deps.corsOrigin, allowHeaders: ['authorization', 'content-type', 'idempotency-key'] }),
    );
  // Access log: route, status, time, request id and role — never bodies, tokens or personal data.
  api.use('*', async (c, next) => {
    const t0 = performance.now();
    await next();
    log({
      at: deps.clock.now().toISOString(),
      request_id: c.get('requestId'),
      method: c.req.method,
      path: c.req.routePath,
      status: c.res.status,
      ms: Math.round(performance.now() - t0),
      role: c.get('actor')?.role ?? null,
    });
  });
  api.use(
    '*',
    bodyLimit({
      maxSize: LIMITS.maxBodyBytes,
      // The rest of the body is not read: close the connection so a client cannot reuse a half-read socket.
      onError: (c) => {
        c.header('connection', 'close');
        return apiError(c, 413, 'payload_too_large', { max_mb: LIMITS.maxBodyBytes / 1024 / 1024 });
      },
    }),
  );

  // Authentication and authorization from the one role × route table.
  api.use('*', async (c, next) => {
    const rel = c.req.path.replace(/^\/api\/v1/, '') || '/';
    const rule = accessFor(c.req.method, rel);
    if (!rule) return apiError(c, 404, 'not_found');
    if (rule.localOnly && deps.mode !== 'local') return apiError(c, 404, 'not_found');
    if (rule.public) return next();
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    const actor: Actor | null = token ? await deps.tokens.verify(token) : null;
    if (!actor) return apiError(c, 401, 'unauthorized');
    c.set('actor', actor);
    const grant = grantFor(
      rule,
      actor.role,
      rule.communeParam !== undefined && c.req.query(rule.communeParam) !== undefined,
    );
    if (grant === 'deny') return apiError(c, 403, 'forbidden');
    if (grant === 'own' && rule.communeParam) {
      const named = c.req.query(rule.communeParam);
      if (named !== undefined && named !== actor.commune_code)
        return apiError(c, 403, 'forbidden_commune', { own: actor.commune_code ?? '' });
    }
    c.set('grant', grant);
    if (c.req.method === 'POST' && !allowWrite(actor.sub)) return apiError(c, 429, 'rate_limited');
    return next();
  });

  api.get('/health', async (c) => {
    const h = deps.health?.() ?? { status: 'ok' as const };
    const body = {
      ...h,
      mode: deps.mode,
      demo: (await deps.isDemo?.()) ?? false,
      time: deps.clock.now().toISOString(),
    };
    // Degraded: the last good figures are served, but a monitor must notice (and the files are named).
    return c.json(body, h.status === 'ok' ? 200 : 503);
  });
  api.get('/openapi.json', (c) => c.json(openApiDocument()));
  api.get('/auth/config', async (c) =>
    c.json({
      mode: deps.mode === 'local' ? 'local' : 'cognito',
      roles: ROLES,
      demo_communes:
        deps.mode === 'local'
          ? COMMUNES.slice(0, 5).map((x) => ({ commune_code: x.commune_code, name: x.name }))
          : [],
      ...(deps.localSignIn ? { sign_in_code_required: await deps.localSignIn.codeRequiredForDisplay() } : {}),
    }),
  );
  // Local sign-in as a demo user. Not a CORS-simple request (JSON only), rate-limited, and — once the folder
  // holds real data — only with the one-time code the operator sees where `npm start` runs.
  const demoBody = jsonBody(DemoLoginRequestSchema, {
    malformed: (c) => apiError(c, 400, 'bad_request', { detail: 'JSON {role, commune_code?, code?}' }),
    invalid: (c, issues) =>
      apiError(c, 400, 'bad_request', {
        detail: [...new Set(issues.map((i) => i.path.join('.') || 'JSON {role, commune_code?, code?}'))].join(
          ', ',
        ),
      }),
  });
  // Sign-in is rate-limited before the body is read (a flood of bad bodies counts too); local mode only.
  const demoGate: MiddlewareHandler<ApiEnv> = async (c, next) => {
    if (!deps.localSignIn) return apiError(c, 404, 'not_found');
    if (mediaType(c.req.header('content-type')) !== 'application/json')
      return apiError(c, 415, 'json_required');
    if (!allowSignIn('demo-login')) return apiError(c, 429, 'rate_limited');
    await next();
  };
  api.post('/auth/demo-login', demoGate, ...demoBody, async (c) => {
    const local = deps.localSignIn as LocalSignInPort;
    const body = c.req.valid('json');
    const role = body.role;
    const commune = role === 'commune' ? (body.commune_code ?? COMMUNES[0]?.commune_code) : undefined;
    if (role === 'commune' && !COMMUNES.some((x) => x.commune_code === commune))
      return apiError(c, 400, 'bad_request', { detail: 'commune_code' });
    const who = {
      sub: role === 'commune' ? `local-commune-${commune}` : `local-${role}`,
      role,
      ...(commune ? { commune_code: commune as string } : {}),
    };
    if (await local.codeRequired()) {
      if (typeof body.code !== 'string' || body.code.trim() === '')
        return apiError(c, 403, 'sign_in_code_required');
      if (!local.useCode(body.code)) {
        await audit.record(who, 'auth.sign_in', 'refused', undefined, { method: 'demo', reason: 'code' });
        return apiError(c, 403, 'sign_in_code_wrong');
      }
    }
    const token = await local.sign(role, commune as string | undefined);
    await audit.record(who, 'auth.sign_in', 'ok', undefined, { method: 'demo' });
    return c.json({ token, role, ...(commune ? { commune_code: commune } : {}) });
  });
  api.get('/me', (c) => c.json(c.get('actor')));
  api.get('/years', (c) => {
    const now = deps.clock.now();
    const current = currentYear();
    const deadline = reportDeadlineUtc(PLAN, current);
    return c.json({
      current_year: current,
      years: PLAN.years.filter((y) => y <= current),
      deadline: deadline.toISOString(),
      deadline_passed: now >= deadline,
    });
  });

  const ctx: RouteContext = { deps, audit, registry, currentYear };
  for (const mount of deps.routes) mount(api, ctx);

  api.notFound((c) => apiError(c, 404, 'not_found'));
  api.onError((err, c) => {
    // A refusal Hono raised itself (a request it could not read): the client's fault, said in our shape.
    if (err instanceof HTTPException && err.status < 500) {
      return apiError(c, err.status as ContentfulStatusCode, 'bad_request', {
        detail: err.message.slice(0, 200),
      });
    }
    log({
      at: deps.clock.now().toISOString(),
      request_id: c.get('requestId'),
      level: 'error',
      error: err.name,
      message: err.message.slice(0, 200),
    });
    return apiError(c, 500, 'internal');
  });

  const app = new Hono();
  app.route('/api/v1', api);
  return app;
}
