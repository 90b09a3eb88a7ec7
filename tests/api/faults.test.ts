// Faults over HTTP: the store failing at each write step of a submission → a 500 that says nothing was
// half-written, no half-visible submission, and the retry completes it (one version, one id). Also random
// bytes uploaded as the .xlsx template → always a clear 4xx, never a 5xx, never a write.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashExceptAudit, listFiles } from '../helpers/data-dir.ts';
import { FaultyStore } from '../helpers/faulty-store.ts';
import { validSubmission } from '../helpers/fixtures.ts';
import { type TestServer, testServer } from '../helpers/server.ts';

let s: TestServer;
let faulty: FaultyStore | null = null;
beforeAll(async () => {
  s = await testServer({
    now: '2026-11-01T03:00:00Z',
    wrapStore: (inner) => {
      faulty = new FaultyStore(inner);
      return faulty;
    },
  });
});
afterAll(async () => {
  await s.close();
});

const commits = () => listFiles(s.dataDir).filter((f) => f.startsWith('curated/submissions/'));

describe('store faults over HTTP', () => {
  // Write steps of one submission: 1 raw claim, 2–6 Parquet tables, 7 commit marker.
  for (let step = 1; step <= 7; step++) {
    it(`a failure at write step ${step} → 500, nothing visible; the retry lands exactly one version`, async () => {
      const sub = validSubmission();
      sub.report.dialogues_held = 1000 + step; // new content for each step
      const before = commits().length;
      faulty!.failOnPut(step);
      const failed = await s.call('/api/v1/submissions', {
        method: 'POST',
        token: s.tokens.admin,
        json: sub,
      });
      expect(failed.status).toBe(500);
      const body = (await failed.json()) as { error: { code: string; message_vi: string } };
      expect(body.error.code).toBe('internal');
      expect(JSON.stringify(body)).not.toMatch(/injected|\.ts:\d+/);
      expect(commits().length).toBe(before);
      faulty!.failOnPut(null);
      const retry = await s.call('/api/v1/submissions', { method: 'POST', token: s.tokens.admin, json: sub });
      expect([200, 201]).toContain(retry.status);
      expect(commits().length).toBe(before + 1);
      const again = await s.call('/api/v1/submissions', { method: 'POST', token: s.tokens.admin, json: sub });
      expect(again.status).toBe(200);
      expect(((await again.json()) as { submission_id: string }).submission_id).toBe(
        ((await retry.json()) as { submission_id: string }).submission_id,
      );
    });
  }
});

describe('hostile workbooks over HTTP', () => {
  it('random bytes and broken zips uploaded as .xlsx → a clear 4xx, never a 5xx, never a write', async () => {
    // marts/ is a derived cache the background refresher may rewrite after the earlier tests' submissions.
    const before = hashExceptAudit(s.dataDir, ['marts/']);
    const zipHeader = new Uint8Array([0x50, 0x4b, 0x03, 0x04]);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), async (bytes, asZip) => {
        const body = asZip ? new Uint8Array([...zipHeader, ...bytes]) : bytes;
        const form = new FormData();
        form.set('file', new Blob([body]), 'bao-cao.xlsx');
        const r = await s.call('/api/v1/submissions', { method: 'POST', token: s.tokens.admin, body: form });
        expect(r.status).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
        const j = (await r.json()) as { errors: { message_vi: string }[] };
        expect(j.errors[0]?.message_vi).toBeTruthy();
      }),
      { numRuns: 40 },
    );
    expect(hashExceptAudit(s.dataDir, ['marts/'])).toBe(before);
  });
});
