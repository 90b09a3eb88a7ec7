// Append-only audit trail: one immutable object per event under audit/date=YYYY-MM-DD/. It records who, what
// and the outcome — codes and ids only, never a national ID, name, staff code or submitted value.
//
// Reading it (GET /audit): a closed day — over for an hour — is read once, object by object, and then kept as
// one roll-up, audit/daily/date=YYYY-MM-DD.jsonl (create-only, like every audit object); later reads of that day
// read the roll-up alone. The day in progress is always read object by object, a bounded number at a time. On
// S3 a year of the national trail would otherwise be hundreds of thousands of GETs per request (issue 15, item 9).
import type { Role } from '@scorecard/data-contracts';
import { uuidv7 } from 'uuidv7';
import type { Clock } from '../ports/clock.ts';
import { type ObjectStore, PreconditionFailed } from '../ports/object-store.ts';

export interface Actor {
  sub: string;
  role: Role;
  commune_code?: string;
}

export interface AuditEvent {
  event_id: string;
  at: string;
  actor: string;
  role: string;
  action: string;
  target?: string;
  outcome: string;
  detail?: Record<string, unknown>;
}

const DAY_MS = 86_400_000;
/** A day is closed (no event of it can still be written) this long after its end. */
const CLOSED_AFTER_MS = 60 * 60_000;
/** Audit objects read at once when a day is read object by object. */
const READ_CONCURRENCY = 32;
const dailyKey = (day: string) => `audit/daily/date=${day}.jsonl`;

export class AuditLog {
  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Clock,
  ) {}

  async record(
    actor: Actor,
    action: string,
    outcome: string,
    target?: string,
    detail?: Record<string, unknown>,
  ) {
    const at = this.clock.now();
    const event: AuditEvent = {
      event_id: uuidv7(),
      at: at.toISOString(),
      actor: actor.sub,
      role: actor.role,
      action,
      outcome,
      ...(target !== undefined ? { target } : {}),
      ...(detail !== undefined ? { detail } : {}),
    };
    const day = event.at.slice(0, 10);
    await this.store.put(`audit/date=${day}/${event.event_id}.json`, JSON.stringify(event), {
      ifNoneMatch: true,
    });
    return event;
  }

  async query(filter: { from: Date; to: Date; actor?: string; action?: string }): Promise<AuditEvent[]> {
    const out: AuditEvent[] = [];
    const days: string[] = [];
    for (
      let t = Date.UTC(filter.from.getUTCFullYear(), filter.from.getUTCMonth(), filter.from.getUTCDate());
      t <= filter.to.getTime();
      t += DAY_MS
    ) {
      days.push(new Date(t).toISOString().slice(0, 10));
    }
    for (const day of days) {
      for (const e of await this.day(day)) {
        const at = Date.parse(e.at);
        if (at < filter.from.getTime() || at > filter.to.getTime()) continue;
        if (filter.actor && e.actor !== filter.actor) continue;
        if (filter.action && e.action !== filter.action) continue;
        out.push(e);
      }
    }
    return out.sort((a, b) => a.at.localeCompare(b.at) || a.event_id.localeCompare(b.event_id));
  }

  /** Every event of one UTC day: from its roll-up when the day is closed (writing it the first time). */
  private async day(day: string): Promise<AuditEvent[]> {
    const closed = this.clock.now().getTime() >= Date.parse(`${day}T00:00:00Z`) + DAY_MS + CLOSED_AFTER_MS;
    if (closed) {
      const rolled = await this.store.get(dailyKey(day));
      if (rolled) {
        return new TextDecoder()
          .decode(rolled)
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as AuditEvent);
      }
    }
    const keys = await this.store.list(`audit/date=${day}/`);
    const events: AuditEvent[] = [];
    for (let i = 0; i < keys.length; i += READ_CONCURRENCY) {
      const batch = await Promise.all(keys.slice(i, i + READ_CONCURRENCY).map((k) => this.store.get(k)));
      for (const bytes of batch)
        if (bytes) events.push(JSON.parse(new TextDecoder().decode(bytes)) as AuditEvent);
    }
    if (closed) {
      events.sort((a, b) => a.at.localeCompare(b.at) || a.event_id.localeCompare(b.event_id));
      const text = events.map((e) => JSON.stringify(e)).join('\n');
      try {
        await this.store.put(dailyKey(day), text === '' ? '' : `${text}\n`, {
          ifNoneMatch: true,
          contentType: 'application/x-ndjson',
        });
      } catch (e) {
        // Another reader rolled the same closed day up first: the same events.
        if (!(e instanceof PreconditionFailed)) throw e;
      }
    }
    return events;
  }
}
