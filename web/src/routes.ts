// The dashboard's pages, each loaded when first visited. Hash URLs (#/communes/28249) need nothing from the
// server beyond index.html.
import type { RouteDefinition } from '@solidjs/router';
import { type Component, lazy } from 'solid-js';

type Page = Component & { preload: () => Promise<unknown> };

const pages: [path: string, component: Page][] = [
  ['/', lazy(() => import('./pages/overview.tsx'))],
  ['/communes', lazy(() => import('./pages/communes.tsx'))],
  ['/communes/:code', lazy(() => import('./pages/commune.tsx'))],
  ['/rankings', lazy(() => import('./pages/rankings.tsx'))],
  ['/warnings', lazy(() => import('./pages/warnings.tsx'))],
  ['/quality', lazy(() => import('./pages/quality.tsx'))],
  ['/submit', lazy(() => import('./pages/submit.tsx'))],
  ['*404', lazy(() => import('./pages/not-found.tsx'))],
];

export const routes: RouteDefinition[] = pages.map(([path, component]) => ({ path, component }));

/** Starts loading the code of the page at `path` (the first screen after a reload) without rendering it. */
export function preloadRoute(path: string): void {
  const match = (pattern: string) =>
    pattern === '*404' || new RegExp(`^${pattern.replace(/:[^/]+/g, '[^/]+')}/?$`).test(path);
  // A failed download is retried (and reported) when the page renders.
  pages
    .find(([pattern]) => match(pattern))?.[1]
    .preload()
    .catch(() => undefined);
}
