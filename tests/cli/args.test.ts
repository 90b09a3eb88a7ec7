// Command-line options are parsed strictly (issue 18, part 2: node:util parseArgs): a typo such as `--meting`,
// an unknown option or an option without its value is an error naming what the command takes — it is never
// ignored (the pack would otherwise be made for the wrong meeting, or for the default one). Generated typos.
import { spawnSync } from 'node:child_process';
import { parseArgs, UsageError } from '@scorecard/functions/entry/cli/args.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listFiles, tempDir } from '../helpers/data-dir.ts';

const EXPORT = {
  due: 'boolean',
  year: 'string',
  meeting: 'string',
  'as-of': 'string',
  out: 'string',
} as const;

describe('command-line options', () => {
  it('reads --flag value, --flag=value and switches', () => {
    const a = parseArgs(['--year', '2026', '--meeting=annual', '--due'], EXPORT);
    expect(a.flags.get('year')).toBe('2026');
    expect(a.flags.get('meeting')).toBe('annual');
    expect(a.flags.get('due')).toBe(true);
    expect(parseArgs(['a.json', '--as', 'analyst', 'b.xlsx'], { as: 'string' }, true).positional).toEqual([
      'a.json',
      'b.xlsx',
    ]);
  });

  it('refuses a misspelt or unknown option, a missing value and stray positionals, naming the options (generated)', () => {
    const misspelt = fc.constantFrom(
      'meting',
      'yaer',
      'as_of',
      'asof',
      'mettings',
      'outt',
      'due2',
      'Meeting',
    );
    fc.assert(
      fc.property(misspelt, fc.constantFrom(' annual', '=annual', ''), (name, value) => {
        const argv = value.startsWith(' ') ? [`--${name}`, value.trim()] : [`--${name}${value}`];
        let error: unknown;
        try {
          parseArgs(argv, EXPORT);
        } catch (e) {
          error = e;
        }
        expect(error, argv.join(' ')).toBeInstanceOf(UsageError);
        // Names the argument it did not know, and the options it does, in both languages.
        expect((error as Error).message).toContain(`Không có tham số --${name}`);
        expect((error as Error).message).toContain(`There is no option --${name}`);
        expect((error as Error).message).toContain('--meeting');
      }),
      { seed: 18 },
    );
    expect(() => parseArgs(['--year'], EXPORT)).toThrow(/--year cần một giá trị.*--year needs a value/);
    expect(() => parseArgs(['--year', '--due'], EXPORT)).toThrow(/--year cần một giá trị/);
    expect(() => parseArgs(['--due=yes'], EXPORT)).toThrow(/--due không nhận giá trị.*--due takes no value/);
    expect(() => parseArgs(['2026'], EXPORT)).toThrow(/không nhận "2026".*does not take "2026"/);
    expect(() => parseArgs(['-y', '2026'], EXPORT)).toThrow(/Không có tham số -y/);
    // After `--`, everything is an argument (a command that takes them gets it as such).
    expect(parseArgs(['--', '--year'], { as: 'string' }, true).positional).toEqual(['--year']);
  });

  it('npm run export -- --meting annual exits 2 with the options it takes, and writes nothing', () => {
    const dataDir = tempDir('scorecard-args-');
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'functions/src/entry/cli/export.ts',
        '--year',
        '2026',
        '--meting',
        'review',
        '--out',
        dataDir,
      ],
      { encoding: 'utf8', env: { ...process.env, DATA_DIR: dataDir, SCORECARD_NOW: '2026-12-01T00:00:00Z' } },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Không có tham số --meting');
    expect(r.stderr).toContain('--meeting');
    expect(listFiles(dataDir)).toEqual([]);
  });
});
