// npm run token -- --role leader|analyst|commune|admin [--commune CODE]   (local mode only)
// npm run token -- --sign-in-code   the one-time code the local server asks for once the folder holds real data
import { resolve } from 'node:path';
import { COMMUNE_BY_CODE, say } from '@scorecard/data-contracts';
import { ROLES, type Role } from '../../api/access.ts';
import { defaultTokenKeyFile, loadTokenKey, localTokens } from '../../api/auth.ts';
import { defaultPersonKeyFile } from '../../ingest/person-key.ts';
import { clockFromEnv } from '../../ports/clock.ts';
import { defaultSignInCodeFile, readSignInCode } from '../local/sign-in.ts';
import { commandArgs } from './args.ts';

const args = commandArgs(process.argv.slice(2), {
  'sign-in-code': 'boolean',
  role: 'string',
  commune: 'string',
});
const personKeyFile = resolve(process.env.PERSON_KEY_FILE || defaultPersonKeyFile());
const tokenKeyFile = process.env.TOKEN_KEY_FILE || defaultTokenKeyFile(personKeyFile);
if (args.flags.has('sign-in-code')) {
  const code = readSignInCode(defaultSignInCodeFile(tokenKeyFile));
  if (!code) {
    console.error(say('token_no_sign_in_code'));
    process.exit(1);
  }
  console.log(code);
  process.exit(0);
}
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
const key = loadTokenKey(tokenKeyFile);
const { sign } = localTokens(key, clockFromEnv());
console.log(await sign(role, typeof commune === 'string' ? commune : undefined));
