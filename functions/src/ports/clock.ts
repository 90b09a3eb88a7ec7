// The clock port. SCORECARD_NOW replaces the clock everywhere (interfaces.md): the process starts at that
// instant and time then runs forward from it, so successive writes keep a real order.
export interface Clock {
  now(): Date;
}

export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  const fixed = env.SCORECARD_NOW;
  if (fixed === undefined || fixed === '') return { now: () => new Date() };
  const start = Date.parse(fixed);
  if (Number.isNaN(start)) throw new Error(`SCORECARD_NOW is not an ISO-8601 instant: ${fixed}`);
  const t0 = performance.now();
  return { now: () => new Date(start + Math.floor(performance.now() - t0)) };
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
