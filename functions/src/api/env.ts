// The Hono environment shared by the API sub-apps.
import type { Actor } from '../ingest/audit.ts';
import type { Grant } from './access.ts';

export interface ApiEnv {
  Variables: {
    actor: Actor;
    grant: Grant;
    requestId: string;
  };
}
