import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashExceptAudit } from '../helpers/data-dir.ts';
import { validSubmission } from '../helpers/fixtures.ts';
import { OTHER, OWN, type TestServer, testServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await testServer({ now: '2026-11-01T03:00:00Z' });
});
afterAll(async () => {
  await s.close();
});

describe('POST /api/v1/submissions', () => {
  it('201 on a new version, 200 with the same id when identical to the latest', async () => {
    const first = await s.call('/api/v1/submissions', {
      method: 'POST',
      token: s.tokens.commune,
      json: validSubmission(),
    });
    expect(first.status).toBe(201);
    const body = (await first.json()) as { submission_id: string; version: number; status: string };
    expect(body).toMatchObject({ version: 1, status: 'accepted' });
    const again = await s.call('/api/v1/submissions', {
      method: 'POST',
      token: s.tokens.commune,
      json: validSubmission(),
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({
      submission_id: body.submission_id,
      version: 1,
      status: 'duplicate',
    });
  });

  it('422 lists every error with path, code, vi and en; nothing is written', async () => {
    const before = hashExceptAudit(s.dataDir);
    const bad = validSubmission() as unknown as Record<string, any>;
    bad.cadres[0].national_id = '87201001234';
    bad.report.survey.citizen_satisfied = 9999;
    bad.report.typo_field = 1;
    const r = await s.call('/api/v1/submissions', { method: 'POST', token: s.tokens.commune, json: bad });
    expect(r.status).toBe(422);
    const { errors } = (await r.json()) as {
      errors: { path: string; code: string; message_vi: string; message_en: string }[];
    };
    expect(errors.map((e) => `${e.path} ${e.code}`)).toEqual([
      '/cadres/0/national_id national_id_leading_zero',
      '/report/survey/citizen_satisfied satisfied_exceeds_respondents',
      '/report/typo_field unknown_field',
    ]);
    for (const e of errors) expect(e.message_vi && e.message_en).toBeTruthy();
    expect(hashExceptAudit(s.dataDir)).toBe(before);
  });

  it('422 on a body that is not JSON', async () => {
    const r = await s.call('/api/v1/submissions', {
      method: 'POST',
      token: s.tokens.admin,
      body: '{"schema_version":',
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(422);
    expect(((await r.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('invalid_json');
  });

  it('403 for another commune (not 422, even when the body is also invalid)', async () => {
    const other = validSubmission({ commune_code: OTHER });
    (other as unknown as Record<string, unknown>).junk = true;
    const r = await s.call('/api/v1/submissions', { method: 'POST', token: s.tokens.commune, json: other });
    expect(r.status).toBe(403);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('forbidden_commune');
  });

  it('401 without a token or with a forged one', async () => {
    expect((await s.call('/api/v1/submissions', { method: 'POST', json: validSubmission() })).status).toBe(
      401,
    );
    const forged = `${s.tokens.admin.slice(0, -4)}AAAA`;
    expect(
      (await s.call('/api/v1/submissions', { method: 'POST', token: forged, json: validSubmission() }))
        .status,
    ).toBe(401);
  });

  it('413 above 4 MB', async () => {
    const r = await s.call('/api/v1/submissions', {
      method: 'POST',
      token: s.tokens.admin,
      body: 'x'.repeat(4 * 1024 * 1024 + 10),
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(413);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('dry_run validates, returns soft findings and writes nothing', async () => {
    const before = hashExceptAudit(s.dataDir);
    const sub = validSubmission({ commune_code: OWN });
    sub.report.civil_servants = 7;
    const r = await s.call('/api/v1/submissions?dry_run=true', {
      method: 'POST',
      token: s.tokens.commune,
      json: sub,
    });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { valid: boolean; errors: unknown[]; soft_findings: { code: string }[] };
    expect(body.valid).toBe(true);
    expect(body.errors).toEqual([]);
    expect(body.soft_findings.map((f) => f.code)).toContain('civil_servants_mismatch');
    const bad = await s.call('/api/v1/submissions?dry_run=true', {
      method: 'POST',
      token: s.tokens.commune,
      json: { ...sub, year: 2040 },
    });
    expect(await bad.json()).toMatchObject({
      valid: false,
      errors: [expect.objectContaining({ path: '/year', code: 'year_not_in_plan' })],
    });
    expect(hashExceptAudit(s.dataDir)).toBe(before);
  });

  it('Idempotency-Key: same key and body → the original response; another body → 409', async () => {
    const sub = validSubmission({ commune_code: OTHER });
    const headers = { 'idempotency-key': 'retry-abc-1' };
    const a = await s.call('/api/v1/submissions', {
      method: 'POST',
      token: s.tokens.otherCommune,
      json: sub,
      headers,
    });
    expect(a.status).toBe(201);
    const first = await a.json();
    // In between, a correction lands; the retry still gets the original response.
    const corrected = validSubmission({ commune_code: OTHER });
    corrected.report.dialogues_held = 9;
    expect(
      (await s.call('/api/v1/submissions', { method: 'POST', token: s.tokens.otherCommune, json: corrected }))
        .status,
    ).toBe(201);
    const retry = await s.call('/api/v1/submissions', {
      method: 'POST',
      token: s.tokens.otherCommune,
      json: sub,
      headers,
    });
    expect(retry.status).toBe(201);
    expect(await retry.json()).toEqual(first);
    const conflict = await s.call('/api/v1/submissions', {
      method: 'POST',
      token: s.tokens.otherCommune,
      json: corrected,
      headers,
    });
    expect(conflict.status).toBe(409);
  });

  it('errors never carry a stack trace; secure headers and a request id are set', async () => {
    const r = await s.call('/api/v1/nope', { token: s.tokens.admin });
    expect(r.status).toBe(404);
    const text = await r.text();
    expect(text).not.toMatch(/at .*\.ts:\d+/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-request-id')).toBeTruthy();
  });
});

describe('history and void', () => {
  it('lists versions with on-time and voided flags; a void needs a reason, is admin-only and views skip it', async () => {
    const hist = await s.call(`/api/v1/submissions?year=2026&commune=${OTHER}`, { token: s.tokens.leader });
    const rows = (
      (await hist.json()) as {
        rows: {
          submission_id: string;
          version: number;
          voided: boolean;
          on_time: boolean;
          submitted_by: string;
        }[];
      }
    ).rows;
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
    expect(rows.every((r) => r.on_time && !r.voided && r.submitted_by)).toBe(true);
    const latest = rows[1]!;
    expect(
      (
        await s.call(`/api/v1/submissions/${latest.submission_id}/void`, {
          method: 'POST',
          token: s.tokens.leader,
          json: { reason: 'x' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await s.call(`/api/v1/submissions/${latest.submission_id}/void`, {
          method: 'POST',
          token: s.tokens.admin,
          json: {},
        })
      ).status,
    ).toBe(422);
    const v = await s.call(`/api/v1/submissions/${latest.submission_id}/void`, {
      method: 'POST',
      token: s.tokens.admin,
      json: { reason: 'Nộp nhầm số liệu' },
    });
    expect(v.status).toBe(200);
    expect(
      (
        await s.call(`/api/v1/submissions/${latest.submission_id}/void`, {
          method: 'POST',
          token: s.tokens.admin,
          json: { reason: 'again' },
        })
      ).status,
    ).toBe(409);
    const after = (
      (await (
        await s.call(`/api/v1/submissions?year=2026&commune=${OTHER}`, { token: s.tokens.analyst })
      ).json()) as { rows: Record<string, unknown>[] }
    ).rows;
    expect(after.map((r) => r.voided)).toEqual([false, true]);
    expect(after[0]).not.toHaveProperty('submitted_by'); // analysts see no submitter
  });
});
