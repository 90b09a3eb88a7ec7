// Submissions: POST (JSON or the .xlsx template as multipart; dry_run; Idempotency-Key), history, void.
import { Buffer } from 'node:buffer';
import { fieldError, fieldErrorsOf, LIMITS, VoidRequestSchema } from '@scorecard/data-contracts';
import { Hono } from 'hono';
import { canonicalJson, sha256Hex } from '../codec/canonical.ts';
import { ingestLoaded, type LoadedFile, loadSubmissionBytes } from '../ingest/files.ts';
import type { IngestOutcome, IngestService } from '../ingest/ingest-service.ts';
import type { SubmissionRegistry } from '../ingest/registry.ts';
import type { SubmissionHistory } from '../marts/history.ts';
import type { Clock } from '../ports/clock.ts';
import { getJson, type ObjectStore, PreconditionFailed } from '../ports/object-store.ts';
import type { ApiEnv } from './env.ts';
import { jsonBody } from './json-body.ts';
import { apiError, validationErrors } from './respond.ts';

export interface SubmissionsDeps {
  store: ObjectStore;
  clock: Clock;
  ingest: IngestService;
  registry: SubmissionRegistry;
  currentYear: () => number;
  onAccepted?: () => void;
  /** The history index a marts refresher keeps up to date (marts/history.ts); without it, the register. */
  history?: SubmissionHistory;
}

interface IdempotencyRecord {
  body_sha256: string;
  created_at: string;
  /** 0 while the first request with this key is being processed. */
  status: number;
  response: unknown;
}

/** How long a racer waits for the first request with its key (real time) before taking an abandoned claim over. */
const IDEMPOTENCY_WAIT_MS = 30_000;

type IdempotencyClaim =
  | { kind: 'owned' }
  | { kind: 'conflict' }
  | { kind: 'replay'; record: IdempotencyRecord };

async function claimIdempotency(
  deps: SubmissionsDeps,
  key: string,
  bodyHash: string,
): Promise<IdempotencyClaim> {
  const started = performance.now();
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    const pending: IdempotencyRecord = {
      body_sha256: bodyHash,
      created_at: deps.clock.now().toISOString(),
      status: 0,
      response: null,
    };
    try {
      await deps.store.put(key, canonicalJson(pending), {
        ifNoneMatch: true,
        contentType: 'application/json',
      });
      return { kind: 'owned' };
    } catch (e) {
      if (!(e instanceof PreconditionFailed)) throw e;
    }
    const prior = await getJson<IdempotencyRecord>(deps.store, key);
    if (!prior) continue; // released meanwhile: claim again
    if (deps.clock.now().getTime() - Date.parse(prior.created_at) >= LIMITS.idempotencyTtlMs) {
      await deps.store.delete(key); // expired: the key is free again
      continue;
    }
    if (prior.body_sha256 !== bodyHash) return { kind: 'conflict' };
    if (prior.status !== 0) return { kind: 'replay', record: prior };
    // The first request with this key and body is still being processed: wait for its answer.
    if (performance.now() - started > IDEMPOTENCY_WAIT_MS) {
      await deps.store.delete(key); // abandoned (a crash mid-request): take it over
      continue;
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}

export function createSubmissionsApp(deps: SubmissionsDeps) {
  const app = new Hono<ApiEnv>();

  app.post('/', async (c) => {
    const actor = c.get('actor');
    const dryRun = c.req.query('dry_run') === 'true';
    const type = c.req.header('content-type') ?? '';
    let loaded: LoadedFile;
    let bodyHash: string;
    if (type.startsWith('multipart/form-data')) {
      let form: Record<string, unknown>;
      try {
        form = await c.req.parseBody();
      } catch {
        return validationErrors(c, [fieldError('/file', 'file_format')]);
      }
      const file = form.file;
      if (!(file instanceof File)) return validationErrors(c, [fieldError('/file', 'required')]);
      const bytes = new Uint8Array(await file.arrayBuffer());
      bodyHash = sha256Hex(bytes);
      loaded = await loadSubmissionBytes(file.name || 'upload.xlsx', bytes);
      if (loaded.raw === null && loaded.errors.length > 0)
        return validationErrors(c, loaded.errors, loaded.status ?? 422);
    } else {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      bodyHash = sha256Hex(bytes);
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        return validationErrors(c, [fieldError('', 'invalid_encoding')]);
      }
      try {
        loaded = { raw: JSON.parse(text), errors: [] };
      } catch {
        return validationErrors(c, [fieldError('', 'invalid_json')]);
      }
    }

    // Idempotency-Key: the same key and body within 24 h → the original response; another body → 409. The
    // record is claimed create-only BEFORE the ingest, so of racers with one key exactly one ingests; the others
    // wait for its answer (same body) or get 409 (another body).
    const idemKey = c.req.header('idempotency-key');
    const idemStoreKey = idemKey ? `idempotency/${sha256Hex(`${actor.sub}\n${idemKey}`)}.json` : null;
    if (idemStoreKey && !dryRun) {
      const claim = await claimIdempotency(deps, idemStoreKey, bodyHash);
      if (claim.kind === 'conflict') return apiError(c, 409, 'idempotency_conflict');
      if (claim.kind === 'replay') return c.json(claim.record.response as object, claim.record.status as 200);
    }
    const release = async () => {
      if (idemStoreKey && !dryRun) await deps.store.delete(idemStoreKey).catch(() => undefined);
    };

    let out: IngestOutcome;
    try {
      out = await ingestLoaded(deps.ingest, loaded, { actor, dryRun });
    } catch (e) {
      await release();
      throw e;
    }
    if (out.status === 'forbidden') {
      await release();
      const own = actor.commune_code ?? '';
      if (actor.role !== 'commune') return apiError(c, 403, 'forbidden');
      // From a workbook: say which cell names which commune.
      const cell = out.errors[0]?.path ?? '';
      const named = String((loaded.raw as { commune_code?: unknown } | null)?.commune_code ?? '');
      return cell.includes('!')
        ? apiError(c, 403, 'forbidden_commune_cell', { own, named, cell })
        : apiError(c, 403, 'forbidden_commune', { own });
    }
    const errors = out.errors;
    if (dryRun)
      return c.json({ valid: out.status !== 'rejected', errors, soft_findings: out.soft_findings }, 200);
    if (out.status === 'rejected') {
      // Only an accepted (or duplicate) answer is remembered: a corrected retry with the same key may proceed.
      await release();
      return validationErrors(c, errors);
    }

    const status = out.status === 'accepted' ? 201 : 200;
    const body = {
      submission_id: out.submission_id,
      version: out.version,
      status: out.status,
      received_at: out.received_at,
      on_time: out.on_time,
      soft_findings: out.soft_findings,
    };
    if (idemStoreKey) {
      const record: IdempotencyRecord = {
        body_sha256: bodyHash,
        created_at: deps.clock.now().toISOString(),
        status,
        response: body,
      };
      await deps.store.put(idemStoreKey, canonicalJson(record)).catch(async (e) => {
        await release();
        throw e;
      });
    }
    if (out.status === 'accepted') deps.onAccepted?.();
    return c.json(body, status);
  });

  app.get('/', async (c) => {
    const actor = c.get('actor');
    const year = Number(c.req.query('year') ?? deps.currentYear());
    if (!Number.isInteger(year)) return apiError(c, 400, 'bad_request', { detail: 'year' });
    const commune = actor.role === 'commune' ? actor.commune_code : c.req.query('commune');
    // From the history index the marts refresher keeps up to date (marts/history.ts) when one runs in this
    // process (the local server); else (the API Lambda) from the store, version by version.
    const history = deps.history;
    if (history) {
      const rows = await history.rowsJson(year, commune || undefined, actor.role !== 'analyst');
      // The same bytes as c.json({refreshed_at, rows}), the rows already encoded.
      const head = Buffer.from(`{"refreshed_at":${JSON.stringify(deps.clock.now().toISOString())},"rows":`);
      const body = Buffer.concat([head, rows, Buffer.from('}')]);
      return c.body(body as unknown as ArrayBuffer, 200, { 'content-type': 'application/json' });
    }
    const rows = await deps.registry.history(year, commune);
    // Analysts see the register without who submitted it.
    const visible = rows.map(({ submitted_by, ...rest }) =>
      actor.role === 'analyst' ? rest : { ...rest, submitted_by },
    );
    return c.json({ refreshed_at: deps.clock.now().toISOString(), rows: visible });
  });

  // A reason is required; one longer than the register keeps is refused, not cut (no input loses data).
  const voidBody = jsonBody(VoidRequestSchema, {
    malformed: (c) => validationErrors(c, [fieldError('/reason', 'void_reason_required')]),
    invalid: (c, issues, sent) => {
      const errors = fieldErrorsOf(issues, sent);
      const tooLong = errors.filter((e) => e.path === '/reason' && e.code === 'string_too_long');
      return validationErrors(
        c,
        tooLong.length > 0 ? tooLong : [fieldError('/reason', 'void_reason_required')],
      );
    },
  });
  app.post('/:id/void', ...voidBody, async (c) => {
    const reason = c.req.valid('json').reason.trim().normalize('NFC');
    if (reason === '') return validationErrors(c, [fieldError('/reason', 'void_reason_required')]);
    const out = await deps.registry.void(c.req.param('id'), reason, c.get('actor'));
    if (out.status === 'not_found') return apiError(c, 404, 'not_found');
    if (out.status === 'already_voided') return apiError(c, 409, 'already_voided');
    deps.onAccepted?.();
    return c.json({
      submission_id: c.req.param('id'),
      voided: true,
      year: out.year,
      commune_code: out.commune_code,
    });
  });

  return app;
}
