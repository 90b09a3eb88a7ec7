// Tiny argument parsing for the CLI commands: positional values and --flag value / --flag=value / --switch.
export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(argv: string[], switches: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else if (
        switches.includes(a.slice(2)) ||
        i + 1 >= argv.length ||
        (argv[i + 1] as string).startsWith('--')
      )
        flags.set(a.slice(2), true);
      else flags.set(a.slice(2), argv[++i] as string);
    } else positional.push(a);
  }
  return { positional, flags };
}

/** `--as commune:CODE`, `--as analyst`, … (the local commands act as admin by default). */
export function actorFromAs(as: string | true | undefined): {
  sub: string;
  role: 'admin' | 'analyst' | 'leader' | 'commune';
  commune_code?: string;
} {
  if (as === undefined || as === true || as === 'admin') return { sub: 'cli-admin', role: 'admin' };
  const [role, code] = as.split(':');
  if (role === 'commune' && code && /^[0-9]{5}$/.test(code))
    return { sub: `cli-commune-${code}`, role: 'commune', commune_code: code };
  if (role === 'analyst' || role === 'leader') return { sub: `cli-${role}`, role };
  throw new Error(`--as must be admin, analyst, leader or commune:CODE (got ${as})`);
}
