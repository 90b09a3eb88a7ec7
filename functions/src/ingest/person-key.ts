// person_key = HMAC-SHA256(secret, national_id): finds the same person listed twice without storing the ID.
// The secret never sits beside the data (docs/contracts.md): locally it lives in PERSON_KEY_FILE (default: the
// user's config directory), created with mode 0600 on first use; in AWS it comes from Secrets Manager.
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

export type PersonKeyFn = (nationalId: string) => string;

export function personKeyFromSecret(secret: Uint8Array | string): PersonKeyFn {
  return (nationalId) => createHmac('sha256', secret).update(nationalId, 'utf8').digest('hex');
}

export function defaultPersonKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'commune-scorecard', 'person-key');
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(resolve(parent), resolve(child));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Loads (or creates) the local secret. Refuses a key file inside the data folder: a copied folder must not carry it. */
export function loadLocalSecret(file: string, dataDir: string): Buffer {
  if (isInside(file, dataDir)) {
    throw new Error(`PERSON_KEY_FILE (${file}) must not be inside DATA_DIR (${dataDir})`);
  }
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  const hex = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(hex))
    throw new Error(`PERSON_KEY_FILE ${file} does not hold a 32-byte hex secret`);
  return Buffer.from(hex, 'hex');
}
