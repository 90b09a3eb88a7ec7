// Local runtime: the embedded default wired from the environment (docs/interfaces.md "Environment").
// DATA_DIR (./.data), PERSON_KEY_FILE (outside the data folder), SCORECARD_NOW, SCORECARD_DEMO, PORT, HOST.
import { resolve } from 'node:path';
import { FsObjectStore } from '../../adapters/fs-store.ts';
import { IngestService } from '../../ingest/ingest-service.ts';
import { defaultPersonKeyFile, loadLocalSecret, personKeyFromSecret } from '../../ingest/person-key.ts';
import { type Clock, clockFromEnv } from '../../ports/clock.ts';

export interface LocalRuntime {
  dataDir: string;
  store: FsObjectStore;
  clock: Clock;
  ingest: IngestService;
  personKeyFile: string;
}

export function localRuntime(
  env: NodeJS.ProcessEnv = process.env,
  clock: Clock = clockFromEnv(env),
): LocalRuntime {
  const dataDir = resolve(env.DATA_DIR || './.data');
  const personKeyFile = resolve(env.PERSON_KEY_FILE || defaultPersonKeyFile(env));
  const store = new FsObjectStore(dataDir);
  const personKey = personKeyFromSecret(loadLocalSecret(personKeyFile, dataDir));
  return { dataDir, store, clock, personKeyFile, ingest: new IngestService({ store, clock, personKey }) };
}
