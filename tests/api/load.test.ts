// A bounded load test on loopback: 2,000 submissions from 20 concurrent clients. Nothing is lost (every
// accepted version is stored with exactly the content sent), versions are consecutive, and no 5xx.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMUNES } from '@scorecard/data-contracts';
import type { StoredVersion } from '@scorecard/functions/ingest/stored.ts';
import { rawKey } from '@scorecard/functions/ingest/stored.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validSubmission } from '../helpers/fixtures.ts';
import { type TestServer, testServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => {
  await s.close();
});

const CLIENTS = 20;
const PER_CLIENT = 100;

describe('load: 2,000 submissions from 20 concurrent clients', () => {
  it('loses nothing and never answers 5xx', async () => {
    const communes = COMMUNES.slice(0, CLIENTS).map((c) => c.commune_code);
    const tokens = await Promise.all(communes.map((c) => s.sign('commune', c)));
    const statuses = new Map<number, number>();
    const sent: { commune: string; dialogues: number; id: string; version: number }[] = [];
    await Promise.all(
      communes.map(async (commune, ci) => {
        for (let i = 0; i < PER_CLIENT; i++) {
          const sub = validSubmission({ commune_code: commune });
          sub.report.dialogues_held = i;
          const r = await s.call('/api/v1/submissions', { method: 'POST', token: tokens[ci], json: sub });
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          const body = (await r.json()) as { submission_id: string; version: number };
          sent.push({ commune, dialogues: i, id: body.submission_id, version: body.version });
        }
      }),
    );
    expect(Object.fromEntries(statuses)).toEqual({ 201: CLIENTS * PER_CLIENT });
    for (const commune of communes) {
      const mine = sent.filter((x) => x.commune === commune).sort((a, b) => a.version - b.version);
      expect(mine.map((x) => x.version)).toEqual(Array.from({ length: PER_CLIENT }, (_, i) => i + 1));
      for (const x of mine) {
        const stored = JSON.parse(
          readFileSync(join(s.dataDir, rawKey(2026, commune, x.version)), 'utf8'),
        ) as StoredVersion;
        expect(stored.submission_id).toBe(x.id);
        expect(stored.submission.report.dialogues_held).toBe(x.dialogues);
        expect(stored.submission.cadres.map((c) => c.cadre_code)).toEqual(
          validSubmission().cadres.map((c) => c.cadre_code),
        );
      }
    }
    // The register agrees: 100 committed, unvoided versions per commune.
    const hist = (await (
      await s.call('/api/v1/submissions?year=2026', { token: s.tokens.admin })
    ).json()) as { rows: { committed: boolean; voided: boolean }[] };
    expect(hist.rows).toHaveLength(CLIENTS * PER_CLIENT);
    expect(hist.rows.every((r) => r.committed && !r.voided)).toBe(true);
  }, 300_000);
});
