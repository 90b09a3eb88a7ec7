// Adversarial: races (issue 13, item 5), over loopback against the real server, many rounds of bursts:
//   * identical submissions at once, after earlier versions exist → one new version, every racer gets its id;
//   * one Idempotency-Key with different bodies at once → one is processed, every other gets 409;
//   * one Idempotency-Key with the same body at once → one version, every racer gets the same answer.
// Generated: burst sizes, which field differs, the order requests leave in.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from '../helpers/data-dir.ts';
import { validSubmission } from '../helpers/fixtures.ts';
import { type TestServer, testServer } from '../helpers/server.ts';

let s: TestServer;
let elapsed = 0;
/** Keys are unique per run (fast-check may generate the same uuid twice; a reused key is another case). */
let run = 0;
beforeAll(async () => {
  // Rate limits use a hand-moved counter: each burst gets a fresh window (this tests races, not the limit).
  s = await testServer({ elapsedMs: () => elapsed });
});
afterAll(async () => {
  await s.close();
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  s
    .call('/api/v1/submissions', { method: 'POST', token: s.tokens.admin, json: body, headers })
    .then(async (r) => ({
      status: r.status,
      body: (await r.json()) as {
        submission_id?: string;
        version?: number;
        status?: string;
        error?: { code: string };
      },
    }));

const rawVersions = (commune: string, year: number) =>
  listFiles(s.dataDir).filter((f) => f.startsWith(`raw/year=${year}/commune=${commune}/`));

describe('identical submissions at once', () => {
  it('every round of a burst adds exactly one version, and every racer is told its id', async () => {
    const commune = '28249';
    let expected = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 25 }), async (burst) => {
        elapsed += 61_000;
        const sub = validSubmission({ commune_code: commune });
        sub.report.dialogues_held = 1000 + expected; // new content each round
        const answers = await Promise.all(Array.from({ length: burst }, () => post(sub)));
        expected++;
        const created = answers.filter((a) => a.status === 201);
        expect(created, JSON.stringify(answers.map((a) => a.status))).toHaveLength(1);
        expect(
          answers.every((a) => a.status === 201 || (a.status === 200 && a.body.status === 'duplicate')),
        ).toBe(true);
        expect(new Set(answers.map((a) => a.body.submission_id)).size).toBe(1);
        expect(rawVersions(commune, 2026)).toHaveLength(expected);
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});

describe('one Idempotency-Key at once', () => {
  it('different bodies: one is processed, every other racer gets 409 (never a second 201)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 10 }),
        fc.uuid().map((u) => `diff-${u}-${run++}`),
        fc.constantFrom('dialogues_held', 'citizen_reception_days'),
        async (burst, key, field) => {
          elapsed += 61_000;
          const bodies = Array.from({ length: burst }, (_, i) => {
            const b = validSubmission({ commune_code: '28261' });
            // Valid values, different per racer (and per run, so no body equals an earlier one).
            (b.report as unknown as Record<string, number>)[field] =
              field === 'dialogues_held' ? 5000 + run * 20 + i : 100 + i;
            b.report.complaints_received = 6 + run;
            return b;
          });
          const answers = await Promise.all(bodies.map((b) => post(b, { 'idempotency-key': key })));
          const statuses = answers.map((a) => a.status);
          expect(
            statuses.filter((x) => x === 201),
            JSON.stringify(statuses),
          ).toHaveLength(1);
          expect(statuses.filter((x) => x === 409)).toHaveLength(burst - 1);
          for (const a of answers.filter((x) => x.status === 409))
            expect(a.body.error?.code).toBe('idempotency_conflict');
        },
      ),
      { numRuns: 10 },
    );
  }, 120_000);

  it('the same body: one version, every racer gets the same answer', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 10 }),
        fc.uuid().map((u) => `same-${u}-${run++}`),
        async (burst, key) => {
          elapsed += 61_000;
          const b = validSubmission({ commune_code: '28270' });
          b.report.dialogues_held = 3000 + Math.floor(Math.random() * 1e6);
          const answers = await Promise.all(
            Array.from({ length: burst }, () => post(b, { 'idempotency-key': key })),
          );
          expect(
            answers.every((a) => a.status === 201),
            JSON.stringify(answers.map((a) => a.status)),
          ).toBe(true);
          for (const a of answers) expect(a.body).toEqual(answers[0]?.body);
        },
      ),
      { numRuns: 10 },
    );
  }, 120_000);
});
