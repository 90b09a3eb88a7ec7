// The dashboard's pages, each loaded when first visited. Hash URLs (#/communes/28249) need nothing from the
// server beyond index.html.
import type { RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';

export const routes: RouteDefinition[] = [
  { path: '/', component: lazy(() => import('./pages/overview.tsx')) },
  { path: '/communes', component: lazy(() => import('./pages/communes.tsx')) },
  { path: '/communes/:code', component: lazy(() => import('./pages/commune.tsx')) },
  { path: '/rankings', component: lazy(() => import('./pages/rankings.tsx')) },
  { path: '/warnings', component: lazy(() => import('./pages/warnings.tsx')) },
  { path: '/quality', component: lazy(() => import('./pages/quality.tsx')) },
  { path: '/submit', component: lazy(() => import('./pages/submit.tsx')) },
  { path: '*404', component: lazy(() => import('./pages/not-found.tsx')) },
];
