// Nộp báo cáo: choose the file → dry run → every error beside its field path → confirm → the new version.
// The page holds the steps; the file is read by submit-file.ts, the pieces are drawn by submit-parts.tsx.
import { LIMITS } from '@scorecard/data-contracts';
import { createResource, createSignal, Match, Show, Switch } from 'solid-js';
import { errorText } from '../components/states.tsx';
import { formatCount } from '../lib/format.ts';
import { lang, t } from '../lib/i18n.ts';
import { canSubmit, ownCommune, role } from '../lib/session.ts';
import type { DryRunResult, SubmitResult } from '../lib/types.ts';
import { dryRun, fetchCommuneNames, submitReport, type Upload } from './submit.data.ts';
import { type FileSummary, prepareUpload } from './submit-file.ts';
import { ConfirmValid, ErrorList, SoftFindings, SubmitDone, TemplateDownloads } from './submit-parts.tsx';

export { readablePath } from './submit-file.ts';

type Phase =
  | { step: 'idle' }
  | { step: 'checking' }
  | { step: 'checked'; result: DryRunResult }
  | { step: 'sending'; result: DryRunResult }
  | { step: 'done'; result: SubmitResult; created: boolean }
  | { step: 'failed'; error: unknown };

export default function Submit() {
  const [communes] = createResource(fetchCommuneNames);
  const [phase, setPhase] = createSignal<Phase>({ step: 'idle' });
  const [upload, setUpload] = createSignal<Upload | null>(null);
  const [summary, setSummary] = createSignal<FileSummary | null>(null);
  const [fileName, setFileName] = createSignal('');
  let idempotencyKey = '';
  let fileInput!: HTMLInputElement;

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
    const prepared = await prepareUpload(file);
    if ('refused' in prepared) {
      setPhase({ step: 'checked', result: prepared.refused });
      return;
    }
    setSummary(prepared.summary);
    await check(prepared.upload);
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
        <TemplateDownloads />
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
                <SubmitDone
                  result={done().result}
                  created={done().created}
                  communeCode={summary()?.commune_code}
                  onAgain={reset}
                />
              )}
            </Match>
          </Switch>
          <Show when={result()}>
            {(r) => (
              <Show when={r().valid} fallback={<ErrorList errors={r().errors} />}>
                <ConfirmValid
                  sending={phase().step === 'sending'}
                  onConfirm={() => void confirm()}
                  onCancel={reset}
                />
              </Show>
            )}
          </Show>
          <Show when={(result()?.soft_findings.length ?? 0) > 0}>
            <SoftFindings findings={result()?.soft_findings ?? []} />
          </Show>
        </div>
      </Show>
    </section>
  );
}
