// npm run export -- --year YYYY --meeting annual|review|final [--as-of ISO] [--out DIR]
// npm run export -- --due
// Writes meeting packs (xlsx, csv, pdf, manifest.json) from the submissions received up to --as-of (default:
// now; SCORECARD_NOW replaces the clock). With --out the pack goes into that folder; without it, into
// DATA_DIR/exports/<export_id>/ where the API lists it. --due writes every pack the plan's schedule says is due
// and that is not yet written. Progress goes to stderr; the result (folders, data hashes) to stdout.
import { resolve } from 'node:path';
import { MEETINGS, type Meeting, say } from '@scorecard/data-contracts';
import { FsObjectStore } from '../../adapters/fs-store.ts';
import { AuditLog } from '../../ingest/audit.ts';
import { ExportRequestError, type PackProgress } from '../../packs/meeting-pack.ts';
import { clockFromEnv } from '../../ports/clock.ts';
import { createMeetingPack, localExportService } from '../local/packs.ts';
import { commandArgs } from './args.ts';

function progressPrinter(label: string) {
  return (p: PackProgress) =>
    process.stderr.write(
      p.done === p.total
        ? `${label}: ${say('export_step_done')}\n`
        : `${label} [${p.done + 1}/${p.total}] ${p.step}\n`,
    );
}

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

async function main() {
  const args = commandArgs(process.argv.slice(2), {
    due: 'boolean',
    year: 'string',
    meeting: 'string',
    'as-of': 'string',
    out: 'string',
  });
  const clock = clockFromEnv();
  const dataDir = resolve(process.env.DATA_DIR || './.data');
  const store = new FsObjectStore(dataDir);
  const service = localExportService({ dataDir, store, clock });
  // Packs made from the command line are audited like those asked for through the API.
  const audit = new AuditLog(store, clock);
  const actor = { sub: 'cli-admin', role: 'admin' as const };

  if (args.flags.get('due') === true) {
    const due = await service.dueNotWritten(clock.now());
    if (due.length === 0) console.log(say('export_none_due'));
    let failed = false;
    for (const d of due) {
      const label = `${d.meeting} ${d.year}`;
      const { export_id } = await service.request({
        meeting: d.meeting,
        year: d.year,
        requestedBy: 'cli-due',
        onProgress: progressPrinter(label),
      });
      process.stderr.write(`${label}: ${export_id}\n`);
      const status = await service.wait(export_id);
      await audit.record(actor, 'export.create', status?.status ?? 'unknown', export_id, {
        via: 'cli-due',
        meeting: d.meeting,
        year: d.year,
      });
      if (status?.status === 'done')
        console.log(`${label}: ${resolve(dataDir, 'exports', export_id)} data_sha256=${status.data_sha256}`);
      else {
        failed = true;
        console.log(say('export_failed', { label, detail: status?.error?.message_vi ?? '' }));
      }
    }
    process.exit(failed ? 1 : 0);
  }

  const yearText = args.flags.get('year');
  const meeting = args.flags.get('meeting');
  if (typeof yearText !== 'string' || !/^[0-9]{4}$/.test(yearText)) fail(say('export_usage'));
  if (typeof meeting !== 'string' || !(MEETINGS as readonly string[]).includes(meeting))
    fail(say('export_usage'));
  const asOfText = args.flags.get('as-of');
  const now = clock.now();
  const asOf = typeof asOfText === 'string' ? new Date(asOfText) : now;
  if (typeof asOfText === 'string' && (Number.isNaN(asOf.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(asOfText)))
    fail(`--as-of: ${asOfText}\n${say('export_usage')}`);
  const year = Number(yearText);
  const label = `${meeting} ${year}`;
  try {
    const out = args.flags.get('out');
    if (typeof out === 'string') {
      const outDir = resolve(out);
      const manifest = await createMeetingPack({
        dataDir,
        year,
        meeting: meeting as Meeting,
        asOf,
        outDir,
        now,
        onProgress: progressPrinter(label),
      });
      await audit.record(actor, 'export.create', 'done', undefined, {
        via: 'cli',
        meeting,
        year,
        as_of: manifest.as_of,
        data_sha256: manifest.data_sha256,
      });
      console.log(`${label}: ${outDir} as_of=${manifest.as_of} data_sha256=${manifest.data_sha256}`);
      for (const f of manifest.files) console.log(`  ${f.name}  ${f.bytes} B  sha256=${f.sha256}`);
      return;
    }
    const { export_id } = await service.request({
      meeting: meeting as Meeting,
      year,
      asOf,
      requestedBy: 'cli',
      onProgress: progressPrinter(label),
    });
    const status = await service.wait(export_id);
    await audit.record(actor, 'export.create', status?.status ?? 'unknown', export_id, {
      via: 'cli',
      meeting,
      year,
    });
    if (status?.status !== 'done')
      fail(say('export_failed', { label, detail: status?.error?.message_vi ?? '' }), 1);
    console.log(
      `${label}: ${resolve(dataDir, 'exports', export_id)} as_of=${status.as_of} data_sha256=${status.data_sha256}`,
    );
    for (const f of status.files) console.log(`  ${f.name}  ${f.bytes} B  sha256=${f.sha256}`);
  } catch (e) {
    if (e instanceof ExportRequestError) fail(`${label}: ${e.detail}\n${say('export_usage')}`);
    throw e;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
