// The local demo sign-in gate (issue 13, item 4). Picking a demo user needs no secret only while the data folder
// holds nothing but the demo; as soon as it holds anything else (a submission from the API or `npm run ingest`),
// signing in needs a one-time code: `npm start` prints it, `npm run token -- --sign-in-code` shows it, and each
// code works once (a new one is issued and printed). The code lives beside the token key, 0600, outside the data
// folder.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEMO_MARKER_KEY } from '../../demo/generate.ts';
import type { ObjectStore } from '../../ports/object-store.ts';

export function defaultSignInCodeFile(tokenKeyFile: string): string {
  return join(dirname(tokenKeyFile), 'sign-in-code');
}

/** Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown as XXXX-XXXX. */
function newCode(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(8);
  let s = '';
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

const normalise = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

export function readSignInCode(file: string): string | null {
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
}

export class LocalSignInGate {
  private current: string;
  private realData = false;
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: ObjectStore,
    private readonly file: string,
    private readonly announce: (code: string) => void,
  ) {
    this.current = this.issue();
  }

  /** The current one-time code. */
  get code(): string {
    return this.current;
  }

  /**
   * Whether the data folder holds anything but the demo. Once it does, it stays so for this process (the demo
   * marker records how many versions the demo wrote; any other version, however it arrived, is real data).
   */
  async codeRequired(): Promise<boolean> {
    if (this.realData) return true;
    this.checkedAt = performance.now();
    const marker = await this.store.get(DEMO_MARKER_KEY).catch(() => null);
    let demoVersions = -1;
    if (marker) {
      try {
        demoVersions = Number(
          (JSON.parse(new TextDecoder().decode(marker)) as { versions?: unknown }).versions ?? -1,
        );
      } catch {
        demoVersions = -1;
      }
    }
    const versions = (await this.store.list('raw/')).filter((k) => k.endsWith('.json')).length;
    if (demoVersions < 0 || versions !== demoVersions) this.realData = true;
    return this.realData;
  }

  /**
   * The same answer for display (GET /auth/config: public and not rate-limited), re-read from the folder at
   * most every `maxAgeMs`, so that a page asking it in a loop never makes the server list raw/ in a loop. The
   * sign-in itself always asks codeRequired().
   */
  async codeRequiredForDisplay(maxAgeMs = 5_000): Promise<boolean> {
    if (this.realData || performance.now() - this.checkedAt < maxAgeMs) return this.realData;
    return this.codeRequired();
  }

  /** Checks a code in constant time; a correct one is used up and the next one issued and announced. */
  useCode(candidate: string): boolean {
    const a = Buffer.from(normalise(candidate));
    const b = Buffer.from(normalise(this.current));
    const ok = a.length === b.length && timingSafeEqual(a, b);
    if (ok) {
      this.current = this.issue();
      this.announce(this.current);
    }
    return ok;
  }

  private issue(): string {
    const code = newCode();
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${code}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
    return code;
  }
}
