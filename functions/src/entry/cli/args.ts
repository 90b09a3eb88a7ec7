// Command-line arguments through node:util parseArgs, strict: each command declares its options, and a typo
// (`--meting`), an unknown option or an option without its value is an error that names the options the
// command knows — never silently ignored. `--flag value` and `--flag=value` both work.
import { parseArgs as parseNodeArgs } from 'node:util';
import { type CliTextCode, type Role, say } from '@scorecard/data-contracts';

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/** The options a command takes: `string` takes a value, `boolean` is a switch. */
export type OptionSpec = Readonly<Record<string, 'string' | 'boolean'>>;

export class UsageError extends Error {}

/**
 * Parses `argv` against `options`; throws UsageError (a bilingual catalogue message naming the argument and the
 * options the command takes) for an unknown option, a missing or unexpected value, or a stray argument.
 * node:util reads the tokens (quoting, `--flag=value`, `--` ends the options); the checks are ours, so that every
 * message comes from the catalogue.
 */
export function parseArgs(argv: string[], options: OptionSpec, allowPositionals = false): ParsedArgs {
  const known =
    Object.entries(options)
      .map(([name, type]) => (type === 'string' ? `--${name} …` : `--${name}`))
      .join(', ') || '—';
  const { tokens } = parseNodeArgs({
    args: argv,
    options: Object.fromEntries(Object.entries(options).map(([name, type]) => [name, { type }])),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const fail = (code: CliTextCode, params: Record<string, string>) =>
    new UsageError(say(code, { ...params, known }));
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (!allowPositionals) throw fail('cli_unexpected_argument', { value: token.value });
      positional.push(token.value);
      continue;
    }
    const type = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (type === undefined) throw fail('cli_unknown_option', { option: token.rawName });
    if (type === 'string') {
      // As node:util's strict mode: `--year --due` is a missing value, not the value "--due" (write --x=-1).
      if (typeof token.value !== 'string' || (!token.inlineValue && token.value.startsWith('-')))
        throw fail('cli_option_needs_value', { option: token.rawName });
      flags.set(token.name, token.value);
    } else {
      if (token.inlineValue) throw fail('cli_option_takes_no_value', { option: token.rawName });
      flags.set(token.name, true);
    }
  }
  return { positional, flags };
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
