// Erasure in the cloud (Personal Data Protection Law 91/2025/QH15; the procedure: functions/src/ingest/erasure.ts).
// An administrator invokes the erasure function by hand (infra/README.md, "Erasing a person"):
//   aws lambda invoke --function-name <ErasureFunctionName> --payload '{"commune_code":"28249",
//     "cadre_code":"DT-0003","requested_by":"DPO ticket 2027-014"}' out.json
// or with {"national_id": "…", "requested_by": "…"}. The payload is never logged (it may hold a national ID); the
// answer and the audit event carry ids and counts only. The function's role is the only one in the account
// allowed s3:BypassGovernanceRetention, on raw/ alone (infra/lib/data-stack.ts): without it the old, locked
// versions of a submission cannot be removed and the erasure stops at the first one, saying so.
import { PLAN, type Plan, say } from '@scorecard/data-contracts';
import { z } from 'zod';
import { s3StoreFromEnv } from '../../adapters/s3-store.ts';
import { AuditLog } from '../../ingest/audit.ts';
import { type ErasureResult, type ErasureTarget, eraseCadre } from '../../ingest/erasure.ts';
import { type PersonKeyFn, personKeyFromSecret } from '../../ingest/person-key.ts';
import { type Clock, clockFromEnv } from '../../ports/clock.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import { fetchPersonKeySecret } from './cloud-api.ts';

const requestedBy = z.string().trim().min(1).max(200);
const EVENT = z.union([
  z.strictObject({ national_id: z.string().regex(/^[0-9]{12}$/), requested_by: requestedBy }),
  z.strictObject({
    commune_code: z.string().regex(/^[0-9]{5}$/),
    cadre_code: z.string().regex(/^[A-Za-z0-9._-]{1,32}$/),
    requested_by: requestedBy,
  }),
]);
export type ErasureEvent = z.input<typeof EVENT>;

/** An erasure that rewrote the current copies but could not remove the locked old versions (no bypass right). */
class ErasureIncomplete extends Error {
  constructor(cause: unknown) {
    super(say('erase_incomplete_locked'), { cause });
    this.name = 'ErasureIncomplete';
  }
}

export interface ErasureDeps {
  store: ObjectStore;
  clock: Clock;
  /** The person-key function, fetched on first use (only a national-ID target needs it). */
  personKey: () => Promise<PersonKeyFn>;
  plan?: Plan;
  log?: (event: Record<string, unknown>) => void;
}

export function erasureDepsFromEnv(env: NodeJS.ProcessEnv = process.env): ErasureDeps {
  let key: Promise<PersonKeyFn> | undefined;
  return {
    store: s3StoreFromEnv(env),
    clock: clockFromEnv(env),
    personKey: () => {
      key ??= fetchPersonKeySecret(env).then(personKeyFromSecret);
      return key;
    },
    plan: PLAN,
    log: (e) => console.log(JSON.stringify(e)),
  };
}

export function createErasureHandler(deps: ErasureDeps) {
  return async (event: ErasureEvent): Promise<ErasureResult> => {
    const parsed = EVENT.safeParse(event);
    // Which fields were wrong, never their values (one may be a national ID); in the catalogue's two languages.
    if (!parsed.success)
      throw new Error(
        say('erase_event_invalid', {
          fields: [...new Set(parsed.error.issues.map((i) => i.path.join('.') || i.code))].join(', '),
        }),
      );
    const e = parsed.data;
    const target: ErasureTarget =
      'national_id' in e
        ? { national_id: e.national_id }
        : { commune_code: e.commune_code, cadre_code: e.cadre_code };
    const personKey: PersonKeyFn =
      'national_id' in target
        ? await deps.personKey()
        : () => {
            throw new Error('person key: not needed for a staff-code erasure');
          };
    const r = await eraseCadre(
      {
        store: deps.store,
        clock: deps.clock,
        personKey,
        audit: new AuditLog(deps.store, deps.clock),
        ...(deps.plan ? { plan: deps.plan } : {}),
      },
      target,
      { sub: `erasure:${e.requested_by}`, role: 'admin' },
    ).catch((err: unknown) => {
      // S3 refused to remove a locked version: say what to do (the role, and that running again completes it).
      if ((err as { name?: string }).name === 'AccessDenied') throw new ErasureIncomplete(err);
      throw err;
    });
    deps.log?.({
      event: 'erasure_done',
      erasure_id: r.erasure_id,
      versions_rewritten: r.versions_rewritten.length,
      rows_erased: r.rows_erased,
      versions_removed: r.versions_removed,
    });
    return r;
  };
}
