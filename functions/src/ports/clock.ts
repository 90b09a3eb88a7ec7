// The clock port. SCORECARD_NOW replaces the clock everywhere (docs/interfaces.md) with one fixed instant, in every
// process alike: a submission landed by `ingest` under SCORECARD_NOW is visible to `sql` or `export` run under
// the same SCORECARD_NOW (received_at <= as_of). Order among equal instants comes from version numbers and
// UUIDv7 ids. Rate limits measure real elapsed time, not this clock.
export interface Clock {
  now(): Date;
}

export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  const fixed = env.SCORECARD_NOW;
  if (fixed === undefined || fixed === '') return { now: () => new Date() };
  const instant = Date.parse(fixed);
  if (Number.isNaN(instant)) throw new Error(`SCORECARD_NOW is not an ISO-8601 instant: ${fixed}`);
  return { now: () => new Date(instant) };
}

/** A clock a test moves by hand. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: string | Date) {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(instant: string | Date): void {
    this.t = new Date(instant).getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
