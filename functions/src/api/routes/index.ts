// Every route group, for a process that answers every route (the local server).
import type { RouteGroup } from '../app.ts';
import { ingestRoutes } from './ingest.ts';
import { queryRoutes } from './query.ts';
import { sqlRoutes } from './sql.ts';

export const ALL_ROUTES: readonly RouteGroup[] = [ingestRoutes, sqlRoutes, queryRoutes];
