// The reads: KPIs, warnings, rankings, data quality, cadre gaps, communes (from the marts), meeting packs and
// the audit trail.
import { createAuditApp } from '../admin.ts';
import type { RouteGroup } from '../app.ts';
import { createExportsApp } from '../exports.ts';
import { createQueryApp } from '../query.ts';

export const queryRoutes: RouteGroup = (api, { deps, audit, currentYear }) => {
  api.route('/audit', createAuditApp(audit));
  if (deps.exports) api.route('/exports', createExportsApp({ exports: deps.exports, audit }));
  api.route('/', createQueryApp({ marts: deps.marts, audit, currentYear }));
};
