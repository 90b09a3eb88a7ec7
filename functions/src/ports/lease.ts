// A lease in the object store: one holder at a time for work that must not run twice at once (a year's
// compaction, the marts refresh). Taken by a create-only put (S3's `If-None-Match: *`, atomic on S3's side); a
// lease older than `maxAgeMs` belongs to a run that crashed or timed out and is taken over. Released by its
// holder only.
import type { Clock } from './clock.ts';
import { getJson, type ObjectStore, PreconditionFailed } from './object-store.ts';

interface Held {
  run_id: string;
  at: string;
}

/** True when `runId` now holds the lease at `key`. */
export async function takeStoreLease(
  store: ObjectStore,
  clock: Clock,
  key: string,
  runId: string,
  maxAgeMs: number,
): Promise<boolean> {
  const body = JSON.stringify({ run_id: runId, at: clock.now().toISOString() } satisfies Held);
  try {
    await store.put(key, body, { ifNoneMatch: true, contentType: 'application/json' });
    return true;
  } catch (e) {
    if (!(e instanceof PreconditionFailed)) throw e;
  }
  const held = await getJson<Held>(store, key);
  if (held && clock.now().getTime() - Date.parse(held.at) < maxAgeMs) return false;
  await store.delete(key);
  try {
    await store.put(key, body, { ifNoneMatch: true, contentType: 'application/json' });
    return true;
  } catch (e) {
    if (e instanceof PreconditionFailed) return false;
    throw e;
  }
}

export async function releaseStoreLease(store: ObjectStore, key: string, runId: string): Promise<void> {
  const held = await getJson<Held>(store, key);
  if (held?.run_id === runId) await store.delete(key);
}
