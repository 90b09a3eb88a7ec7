// npm run token -- --role leader|analyst|commune|admin [--commune CODE]   (local mode only)
import { resolve } from 'node:path';
import { COMMUNE_BY_CODE, say } from '@scorecard/data-contracts';
import { ROLES, type Role } from '../api/access.ts';
import { defaultTokenKeyFile, loadTokenKey, localTokens } from '../api/auth.ts';
import { defaultPersonKeyFile } from '../ingest/person-key.ts';
import { clockFromEnv } from '../ports/clock.ts';
import { parseArgs } from './args.ts';

const args = parseArgs(process.argv.slice(2));
const role = args.flags.get('role') as Role | undefined;
const commune = args.flags.get('commune');
if (!role || !ROLES.includes(role)) {
  console.error(say('token_usage'));
  process.exit(2);
}
if (role === 'commune' && (typeof commune !== 'string' || !COMMUNE_BY_CODE.has(commune))) {
  console.error(say('token_commune_required'));
  process.exit(2);
}
const personKeyFile = resolve(process.env.PERSON_KEY_FILE || defaultPersonKeyFile());
const key = loadTokenKey(process.env.TOKEN_KEY_FILE || defaultTokenKeyFile(personKeyFile));
const { sign } = localTokens(key, clockFromEnv());
console.log(await sign(role, typeof commune === 'string' ? commune : undefined));
