// Nộp báo cáo: choose the file → dry run → every error beside its field path → confirm → the new version.
import { LIMITS, message } from '@scorecard/data-contracts';
import { A } from '@solidjs/router';
import { createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { errorText } from '../components/states.tsx';
import { ApiError } from '../lib/api.ts';
import { formatCount } from '../lib/format.ts';
import { apiText, lang, t } from '../lib/i18n.ts';
import { canSubmit, ownCommune, role } from '../lib/session.ts';
import { selectedYear } from '../lib/state.ts';
import type { DryRunResult, FieldError, SubmitResult } from '../lib/types.ts';
import { dryRun, fetchCommuneNames, fetchTemplate, submitReport, type Upload } from './submit.data.ts';

type Phase =
  | { step: 'idle' }
  | { step: 'checking' }
  | { step: 'checked'; result: DryRunResult }
  | { step: 'sending'; result: DryRunResult }
  | { step: 'done'; result: SubmitResult; created: boolean }
  | { step: 'failed'; error: unknown };

interface FileSummary {
  commune_code?: string;
  year?: number;
  cadres?: number;
}

/** A JSON pointer as the officer reads it: "/cadres/12/national_id" → "cadres › 13 › national_id" (rows from 1). */
export function readablePath(path: string): string {
  if (path === '' || path === '/') return t('path_root');
  if (!path.startsWith('/')) return path; // Excel: "CanBo!F14" is already what the user sees
  return path
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? String(Number(part) + 1) : part))
    .join(' › ');
}

/** The file's text (Blob.text where available; FileReader otherwise). */
function readText(file: Blob): Promise<string> {
  if (typeof file.text === 'function') return file.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file);
  });
}

export default function Submit() {
  const [communes] = createResource(fetchCommuneNames);
  const [phase, setPhase] = createSignal<Phase>({ step: 'idle' });
  const [upload, setUpload] = createSignal<Upload | null>(null);
  const [summary, setSummary] = createSignal<FileSummary | null>(null);
  const [fileName, setFileName] = createSignal('');
  let idempotencyKey = '';
  let fileInput!: HTMLInputElement;

  const [templateError, setTemplateError] = createSignal<string | null>(null);

  async function downloadTemplate(prefill: boolean) {
    setTemplateError(null);
    const year = selectedYear();
    const commune = ownCommune();
    try {
      const { blob, filename } = await fetchTemplate(prefill && commune ? { commune, year } : undefined);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filename ?? 'mau-bao-cao.xlsx';
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setTemplateError(
        prefill && e instanceof ApiError && e.status === 404
          ? t('submit_template_none', { year })
          : errorText(e),
      );
    }
  }

  const communeName = (code: string | null | undefined) =>
    communes()?.find((c) => c.commune_code === code)?.name ?? code ?? '';

  async function onFile(file: File | undefined) {
    setUpload(null);
    setSummary(null);
    if (!file) {
      setPhase({ step: 'idle' });
      return;
    }
    setFileName(file.name);
    // A new file is a new submission attempt: a fresh key, so only retries of *this* file are deduplicated.
    idempotencyKey = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
    if (file.size > LIMITS.maxBodyBytes) {
      setPhase({
        step: 'checked',
        result: {
          valid: false,
          errors: [
            { path: '', ...message('payload_too_large', { max_mb: LIMITS.maxBodyBytes / 1024 / 1024 }) },
          ],
          soft_findings: [],
        },
      });
      return;
    }
    // The .xlsx template goes to the same route as multipart; the server parses and validates it the same way.
    if (/\.xlsx$/i.test(file.name)) {
      await check({ kind: 'xlsx', file, name: file.name });
      return;
    }
    const text = await readText(file);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      setPhase({
        step: 'checked',
        result: { valid: false, errors: [{ path: '', ...message('invalid_json') }], soft_findings: [] },
      });
      return;
    }
    if (parsed && typeof parsed === 'object') {
      const p = parsed as { commune_code?: unknown; year?: unknown; cadres?: unknown };
      setSummary({
        commune_code: typeof p.commune_code === 'string' ? p.commune_code : undefined,
        year: typeof p.year === 'number' ? p.year : undefined,
        cadres: Array.isArray(p.cadres) ? p.cadres.length : undefined,
      });
    }
    await check({ kind: 'json', text });
  }

  async function check(u: Upload) {
    setUpload(u);
    setPhase({ step: 'checking' });
    try {
      setPhase({ step: 'checked', result: await dryRun(u) });
    } catch (e) {
      setPhase({ step: 'failed', error: e });
    }
  }

  async function confirm() {
    const u = upload();
    const p = phase();
    if (!u || p.step !== 'checked' || !p.result.valid) return;
    setPhase({ step: 'sending', result: p.result });
    try {
      const outcome = await submitReport(u, idempotencyKey);
      if (outcome.ok) setPhase({ step: 'done', result: outcome.result, created: outcome.created });
      else setPhase({ step: 'checked', result: { valid: false, errors: outcome.errors, soft_findings: [] } });
    } catch (e) {
      setPhase({ step: 'failed', error: e });
    }
  }

  function reset() {
    setPhase({ step: 'idle' });
    setUpload(null);
    setSummary(null);
    if (fileInput) fileInput.value = '';
    fileInput?.focus();
  }

  const result = () => {
    const p = phase();
    return p.step === 'checked' || p.step === 'sending' ? p.result : null;
  };

  return (
    <section class="page submit" aria-labelledby="submit-title">
      <h1 id="submit-title">{t('submit_title')}</h1>
      <Show when={canSubmit()} fallback={<p class="state state-error">{t('submit_not_allowed')}</p>}>
        <p class="intro">{t('submit_intro')}</p>
        <Show when={role() === 'commune' && ownCommune()}>
          <p class="callout">
            {t('submit_for_commune', { name: communeName(ownCommune()), code: ownCommune() ?? '' })}
          </p>
        </Show>
        <div class="upload">
          <label for="submission-file">{t('submit_file_label')}</label>
          <input
            id="submission-file"
            ref={fileInput}
            type="file"
            accept=".json,application/json,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-describedby="submission-file-hint"
            onChange={(e) => void onFile(e.currentTarget.files?.[0])}
          />
          <p id="submission-file-hint" class="hint">
            {t('submit_file_hint', { max_mb: LIMITS.maxBodyBytes / 1024 / 1024 })}
          </p>
        </div>
        <fieldset class="template">
          <legend>{t('submit_template')}</legend>
          <button type="button" onClick={() => void downloadTemplate(false)}>
            {t('submit_template_blank')}
          </button>{' '}
          <Show when={role() === 'commune' && ownCommune()}>
            <button type="button" onClick={() => void downloadTemplate(true)}>
              {t('submit_template_prefill', { year: selectedYear() })}
            </button>
          </Show>
          <Show when={templateError()}>
            <p class="state state-error" role="alert">
              {templateError()}
            </p>
          </Show>
        </fieldset>
        <Show when={summary()}>
          {(s) => (
            <p class="file-summary">
              <strong>{fileName()}</strong> —{' '}
              {t('submit_summary', {
                commune: s().commune_code ? `${communeName(s().commune_code)} (${s().commune_code})` : '?',
                year: s().year ?? '?',
                cadres: formatCount(s().cadres ?? null, lang()),
              })}
            </p>
          )}
        </Show>

        <div class="submit-result" aria-live="polite">
          <Switch>
            <Match when={phase().step === 'checking'}>
              <p role="status">{t('submit_checking')}</p>
            </Match>
            <Match when={phase().step === 'failed' && (phase() as { error: unknown }).error}>
              {(error) => (
                <p class="state state-error" role="alert">
                  {errorText(error())}
                </p>
              )}
            </Match>
            <Match when={phase().step === 'done' && (phase() as Extract<Phase, { step: 'done' }>)}>
              {(done) => (
                <div class="callout success" role="status" data-testid="submit-done">
                  <p>
                    <strong>
                      {done().created
                        ? t('submit_done', { version: done().result.version })
                        : t('submit_done_duplicate', { version: done().result.version })}
                    </strong>
                  </p>
                  <p>
                    {t('col_submission_id')}: <code>{done().result.submission_id}</code> ·{' '}
                    {done().result.status}
                  </p>
                  <Show when={summary()?.commune_code}>
                    {(code) => <A href={`/communes/${code()}`}>{t('submit_view_commune')}</A>}
                  </Show>{' '}
                  <button type="button" onClick={reset}>
                    {t('submit_cancel')}
                  </button>
                </div>
              )}
            </Match>
          </Switch>
          <Show when={result()}>
            {(r) => (
              <Show when={r().valid} fallback={<ErrorList errors={r().errors} />}>
                <div class="callout success" data-testid="dry-run-valid">
                  <p role="status">
                    <strong>{t('submit_valid')}</strong>
                  </p>
                  <button
                    type="button"
                    class="primary"
                    disabled={phase().step === 'sending'}
                    onClick={() => void confirm()}
                  >
                    {phase().step === 'sending' ? t('submit_sending') : t('submit_confirm')}
                  </button>{' '}
                  <button type="button" onClick={reset}>
                    {t('submit_cancel')}
                  </button>
                </div>
              </Show>
            )}
          </Show>
          <Show when={(result()?.soft_findings.length ?? 0) > 0}>
            <section class="soft-findings" aria-labelledby="soft-findings-title">
              <h2 id="soft-findings-title">{t('submit_soft_findings')}</h2>
              <ul>
                <For each={result()?.soft_findings}>
                  {(f) => (
                    <li>
                      <Show when={f.path}>
                        <code>{readablePath(f.path)}</code>:{' '}
                      </Show>
                      {apiText(f)}
                    </li>
                  )}
                </For>
              </ul>
            </section>
          </Show>
        </div>
      </Show>
    </section>
  );
}

export function ErrorList(props: { errors: FieldError[] }) {
  return (
    <div class="field-errors" role="alert" data-testid="field-errors">
      <p>
        <strong>{t('submit_invalid', { count: formatCount(props.errors.length, lang()) })}</strong>
      </p>
      <table>
        <caption>{t('submit_errors_caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('submit_field')}</th>
            <th scope="col">{t('submit_message')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.errors}>
            {(e) => (
              <tr data-path={e.path} data-code={e.code}>
                <th scope="row">
                  <span class="path-readable">{readablePath(e.path)}</span>
                  <Show when={e.path && readablePath(e.path) !== e.path}>
                    {' '}
                    <code class="path-raw">{e.path}</code>
                  </Show>
                </th>
                <td>{apiText(e)}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
