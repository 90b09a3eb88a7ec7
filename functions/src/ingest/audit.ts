// Append-only audit trail: one immutable object per event under audit/date=YYYY-MM-DD/. It records who, what
// and the outcome — codes and ids only, never a national ID, name, staff code or submitted value.
import type { Role } from '@scorecard/data-contracts';
import { uuidv7 } from 'uuidv7';
import type { Clock } from '../ports/clock.ts';
import type { ObjectStore } from '../ports/object-store.ts';

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
    const days = new Set<string>();
    for (
      let t = Date.UTC(filter.from.getUTCFullYear(), filter.from.getUTCMonth(), filter.from.getUTCDate());
      t <= filter.to.getTime();
      t += 86_400_000
    ) {
      days.add(new Date(t).toISOString().slice(0, 10));
    }
    for (const day of days) {
      for (const key of await this.store.list(`audit/date=${day}/`)) {
        const bytes = await this.store.get(key);
        if (!bytes) continue;
        const e = JSON.parse(new TextDecoder().decode(bytes)) as AuditEvent;
        const at = Date.parse(e.at);
        if (at < filter.from.getTime() || at > filter.to.getTime()) continue;
        if (filter.actor && e.actor !== filter.actor) continue;
        if (filter.action && e.action !== filter.action) continue;
        out.push(e);
      }
    }
    return out.sort((a, b) => a.at.localeCompare(b.at) || a.event_id.localeCompare(b.event_id));
  }
}
