// Command-line arguments through node:util parseArgs, strict: each command declares its options, and a typo
// (`--meting`), an unknown option or an option without its value is an error that names the options the
// command knows — never silently ignored. `--flag value` and `--flag=value` both work.
import { parseArgs as parseNodeArgs } from 'node:util';
import { type Role, say } from '@scorecard/data-contracts';

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/** The options a command takes: `string` takes a value, `boolean` is a switch. */
export type OptionSpec = Readonly<Record<string, 'string' | 'boolean'>>;

export class UsageError extends Error {}

/** Parses `argv` against `options`; throws UsageError (a bilingual message) on anything else. */
export function parseArgs(argv: string[], options: OptionSpec, allowPositionals = false): ParsedArgs {
  const known = Object.entries(options)
    .map(([name, type]) => (type === 'string' ? `--${name} …` : `--${name}`))
    .join(', ');
  let parsed: ReturnType<typeof parseNodeArgs>;
  try {
    parsed = parseNodeArgs({
      args: argv,
      options: Object.fromEntries(Object.entries(options).map(([name, type]) => [name, { type }])),
      strict: true,
      allowPositionals,
    });
  } catch (e) {
    const detail = (e as Error).message.split('\n')[0] ?? '';
    throw new UsageError(say('cli_bad_arguments', { detail, known: known || '—' }));
  }
  const flags = new Map<string, string | true>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === true) flags.set(name, true);
    else if (typeof value === 'string') flags.set(name, value);
  }
  return { positional: parsed.positionals, flags };
}

/** parseArgs for a command's entry: a usage error is printed and the process exits with 2. */
export function commandArgs(argv: string[], options: OptionSpec, allowPositionals = false): ParsedArgs {
  try {
    return parseArgs(argv, options, allowPositionals);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(e.message);
    process.exit(2);
  }
}

/** `--as commune:CODE`, `--as analyst`, … (the local commands act as admin by default). */
export function actorFromAs(as: string | true | undefined): {
  sub: string;
  role: Role;
  commune_code?: string;
} {
  if (as === undefined || as === true || as === 'admin') return { sub: 'cli-admin', role: 'admin' };
  const [role, code] = as.split(':');
  if (role === 'commune' && code && /^[0-9]{5}$/.test(code))
    return { sub: `cli-commune-${code}`, role: 'commune', commune_code: code };
  if (role === 'analyst' || role === 'leader') return { sub: `cli-${role}`, role };
  throw new Error(`--as must be admin, analyst, leader or commune:CODE (got ${as})`);
}
