// A lease in the object store: one holder at a time for work that must not run twice at once (a year's
// compaction, the marts refresh). Taken by a create-only put (S3's `If-None-Match: *`, atomic on S3's side); a
// lease older than `maxAgeMs` belongs to a run that crashed or timed out and is taken over. Released by its
// holder only.
//
// Taking over is a race of its own: two contenders that both read the stale lease must not both replace it (the
// second would delete the first one's fresh lease and create its own — two holders). So a takeover first claims
// the stale holder's run with a create-only marker, `<key>.takeover/<stale run_id>`: exactly one contender creates
// it, and only that one deletes and replaces the lease (the marker is a lease too: a taker that dies leaves it
// stale, and it is taken over in turn). A run id is never reused, so a marker is never needed twice; markers
// older than an hour are swept by the next takeover (no contender holds a read of a lease that long).
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
  // Released meanwhile: take it as new (create-only again), or find it taken.
  if (!held) return createOnly(store, key, body);
  if (clock.now().getTime() - Date.parse(held.at) < maxAgeMs) return false;
  // Stale: one contender claims this holder's run; the others return false.
  // The marker is itself a lease (on the right to replace this one): should its taker die before replacing, the
  // marker goes stale in turn and is taken over the same way.
  const marker = `${key}.takeover/${encodeURIComponent(held.run_id)}`;
  if (!(await takeStoreLease(store, clock, marker, runId, maxAgeMs))) return false;
  await store.delete(key);
  const taken = await createOnly(store, key, body);
  await sweepMarkers(store, clock, `${key}.takeover/`, marker);
  return taken;
}

async function createOnly(store: ObjectStore, key: string, body: string): Promise<boolean> {
  try {
    await store.put(key, body, { ifNoneMatch: true, contentType: 'application/json' });
    return true;
  } catch (e) {
    if (e instanceof PreconditionFailed) return false;
    throw e;
  }
}

const MARKER_LIFE_MS = 60 * 60_000;

async function sweepMarkers(store: ObjectStore, clock: Clock, prefix: string, keep: string): Promise<void> {
  for (const k of await store.list(prefix)) {
    if (k === keep) continue;
    const m = await getJson<Held>(store, k).catch(() => null);
    if (!m || clock.now().getTime() - Date.parse(m.at) > MARKER_LIFE_MS) await store.delete(k);
  }
}

export async function releaseStoreLease(store: ObjectStore, key: string, runId: string): Promise<void> {
  const held = await getJson<Held>(store, key);
  if (held?.run_id === runId) await store.delete(key);
}
