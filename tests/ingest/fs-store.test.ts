import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsObjectStore } from '../../functions/src/adapters/fs-store.ts';
import { storeConformance } from '../helpers/store-conformance.ts';

storeConformance('local folder', async () => new FsObjectStore(mkdtempSync(join(tmpdir(), 'store-'))));
