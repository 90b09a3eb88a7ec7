// The analysts' SQL route (POST /sql): the only routes that carry the SQL guard and its parser.
import { createSqlApp } from '../admin.ts';
import type { RouteGroup } from '../app.ts';

export const sqlRoutes: RouteGroup = (api, { deps, audit }) => {
  if (deps.sql) api.route('/sql', createSqlApp({ ...deps.sql, audit }));
};
