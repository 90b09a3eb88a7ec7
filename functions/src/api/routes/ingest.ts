// The ingest function's routes: submissions (POST, history, void) and the Excel template. Carries the workbook
// reader (exceljs) and the ingest path; never the SQL parser or the pack builder.
import type { RouteGroup } from '../app.ts';
import { createSubmissionsApp } from '../submissions.ts';
import { createTemplateApp } from '../template.ts';

export const ingestRoutes: RouteGroup = (api, { deps, registry, currentYear }) => {
  api.route(
    '/submissions',
    createSubmissionsApp({
      store: deps.store,
      clock: deps.clock,
      ingest: deps.ingest,
      registry,
      currentYear,
      onAccepted: deps.onAccepted,
      ...(deps.history ? { history: deps.history } : {}),
    }),
  );
  api.route('/template.xlsx', createTemplateApp({ ingest: deps.ingest, currentYear }));
};
