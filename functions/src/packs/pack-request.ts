// Whether the plan can satisfy a meeting-pack request (400 otherwise): a module of its own, so that the API and
// the cloud export runner check a request without importing the pack builder (Plot, pdfmake, exceljs).
import { type Plan, yearInPlanZone } from '@scorecard/data-contracts';
import { packScope } from './pack-data.ts';

/** A meeting-pack request the plan cannot satisfy (400). */
export class ExportRequestError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'ExportRequestError';
  }
}

/** Validates a pack request against the plan; returns its scope. */
export function checkPackRequest(plan: Plan, meeting: string, year: number, asOf: Date, now: Date) {
  if (meeting !== 'annual' && meeting !== 'review' && meeting !== 'final')
    throw new ExportRequestError(`meeting must be annual, review or final (got ${meeting})`);
  if (!Number.isSafeInteger(year)) throw new ExportRequestError(`year must be a whole number (got ${year})`);
  if (Number.isNaN(asOf.getTime())) throw new ExportRequestError('as-of is not an ISO-8601 instant');
  // A pack "as of" a future instant would change as submissions arrive: it could not be reproduced.
  if (asOf.getTime() > now.getTime())
    throw new ExportRequestError(`as-of ${asOf.toISOString()} is in the future`);
  let scope: ReturnType<typeof packScope>;
  try {
    scope = packScope(plan, meeting, year);
  } catch (e) {
    throw new ExportRequestError((e as Error).message);
  }
  // A pack needs at least one of its years to have begun (in the plan's zone) at the as-of instant.
  const current = yearInPlanZone(plan, asOf);
  if (Math.min(...scope.years) > current)
    throw new ExportRequestError(
      `year ${Math.min(...scope.years)} has not begun at as-of ${asOf.toISOString()}`,
    );
  return scope;
}
