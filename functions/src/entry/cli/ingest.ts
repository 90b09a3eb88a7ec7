// npm run ingest -- FILE... [--as commune:CODE] [--format json]
// Validates and lands submissions through the same code path as the API. Exit code 1 if any file was rejected.
import { basename } from 'node:path';
import { type FieldError, say } from '@scorecard/data-contracts';
import { ingestLoaded, loadSubmissionFile } from '../../ingest/files.ts';
import { localRuntime } from '../local/runtime.ts';
import { actorFromAs, commandArgs } from './args.ts';

interface FileResult {
  file: string;
  status: 'accepted' | 'duplicate' | 'rejected';
  submission_id: string | null;
  version: number | null;
  errors: FieldError[];
}

async function main() {
  const args = commandArgs(process.argv.slice(2), { format: 'string', as: 'string' }, true);
  const json = args.flags.get('format') === 'json';
  const actor = actorFromAs(args.flags.get('as'));
  if (args.positional.length === 0) {
    console.error(say('ingest_usage'));
    process.exit(2);
  }
  const rt = localRuntime();
  const results: FileResult[] = [];
  const total = args.positional.length;
  for (const [i, file] of args.positional.entries()) {
    const out = await ingestLoaded(rt.ingest, await loadSubmissionFile(file), { actor });
    const result: FileResult = {
      file,
      status: out.status === 'forbidden' ? 'rejected' : out.status,
      submission_id: out.submission_id ?? null,
      version: out.version ?? null,
      errors: out.errors,
    };
    results.push(result);
    if (!json) {
      const head = `[${i + 1}/${total}] ${basename(file)}: `;
      if (result.status === 'rejected') {
        console.log(`${head}${say('ingest_rejected', { count: result.errors.length })}`);
        for (const e of result.errors)
          console.log(
            `    ${e.path || say('file_itself')}  ${e.code}\n      vi: ${e.message_vi}\n      en: ${e.message_en}`,
          );
      } else {
        const label = say(result.status === 'accepted' ? 'ingest_accepted' : 'ingest_duplicate', {
          version: result.version ?? '',
        });
        console.log(`${head}${label} · ${result.submission_id}`);
      }
    } else if (total > 20 && process.stderr.isTTY) {
      process.stderr.write(`\r${i + 1}/${total}`);
    }
  }
  if (json) process.stdout.write(`${JSON.stringify(results)}\n`);
  process.exit(results.some((r) => r.status === 'rejected') ? 1 : 0);
}

main().catch((e) => {
  console.error(say('ingest_failed', { detail: (e as Error).message }));
  process.exit(2);
});
