// `npm start`: the whole product on one machine.
import { resolve } from 'node:path';
import { say } from '@scorecard/data-contracts';
import { defaultPersonKeyFile } from '../../ingest/person-key.ts';
import { startLocalServer } from './server.ts';

const env = process.env;
const server = await startLocalServer({
  dataDir: resolve(env.DATA_DIR || './.data'),
  port: Number(env.PORT || 8787),
  ...(env.HOST ? { host: env.HOST } : {}),
  personKeyFile: resolve(env.PERSON_KEY_FILE || defaultPersonKeyFile(env)),
  demo: env.SCORECARD_DEMO !== 'off',
  quiet: env.SCORECARD_QUIET === '1',
  ...(env.CORS_ORIGIN ? { corsOrigin: env.CORS_ORIGIN } : {}),
});
console.log(
  [
    '',
    say('server_running', { url: server.url }),
    `  ${say('server_links', { url: server.url })}`,
    `  ${say('server_sign_in')}`,
    `  ${say('server_sign_in_code', { code: server.signInCode() })}`,
    '',
  ].join('\n'),
);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
