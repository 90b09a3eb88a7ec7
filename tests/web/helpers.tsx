// Component-test helpers: a fake API answering by path (the real client code runs: headers, Arrow or JSON,
// error bodies), and a router around a page.

import { API_BASE, setApiBase } from '@scorecard/web/lib/api.ts';
import { forgetCognitoConfig } from '@scorecard/web/lib/cognito.ts';
import { setLang } from '@scorecard/web/lib/i18n.ts';
import { type Session, signIn, signOut } from '@scorecard/web/lib/session.ts';
import { setHealth, setSelectedYear, setYearsInfo } from '@scorecard/web/lib/state.ts';
import { cleanup, render } from '@solidjs/testing-library';
import type { Component } from 'solid-js';
import { vi } from 'vitest';
import { params } from './router-mock.ts';

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}

export type Answer = unknown | Response | ((call: Call) => unknown | Response | Promise<unknown | Response>);

/** Installs a fetch that answers `METHOD /path` (or `/path` for GET) from the table; unknown routes → 404. */
export function fakeApi(routes: Record<string, Answer>) {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://test.local');
    const method = (init.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const call: Call = {
      method,
      path,
      query: url.searchParams,
      headers: new Headers(init.headers),
      body: init.body,
    };
    calls.push(call);
    const answer = routes[`${method} ${path}`] ?? (method === 'GET' ? routes[path] : undefined);
    if (answer === undefined)
      return json(
        { error: { code: 'not_found', message_vi: 'Không tìm thấy', message_en: 'Not found' } },
        404,
      );
    const value = typeof answer === 'function' ? await (answer as (c: Call) => unknown)(call) : answer;
    return value instanceof Response ? value : json(value, 200);
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock, callsTo: (path: string) => calls.filter((c) => c.path === path) };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function table<T>(rows: T[], refreshed_at = '2026-11-20T03:00:00.000Z') {
  return { refreshed_at, rows };
}

/** Resets the shell state: Vietnamese, signed in with `session`, years as the API would say. */
export function setup(
  opts: { session?: Session | null; year?: number; years?: number[]; deadlinePassed?: boolean } = {},
) {
  setLang('vi');
  if (opts.session === null) signOut();
  else signIn(opts.session ?? { token: 'tok-leader', role: 'leader' });
  setYearsInfo({
    current_year: opts.year ?? 2026,
    years: opts.years ?? [2026],
    deadline: '2026-11-05T17:00:00.000Z',
    deadline_passed: opts.deadlinePassed ?? true,
  });
  setSelectedYear(null);
  setHealth(null);
}

/** Renders a page with route params (test files mock the router with ./router-mock.ts). */
export function renderPage(Page: Component, routeParams: Record<string, string> = {}) {
  for (const k of Object.keys(params)) delete params[k];
  Object.assign(params, routeParams);
  return render(() => <Page />);
}

/** Text content with whitespace collapsed (non-breaking spaces kept). */
export function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/[ \t\n]+/g, ' ').trim();
}

/**
 * After each test: unmount (vitest globals are off, so testing-library cannot clean up by itself), real fetch,
 * and no cognito.json, API base or address left from a sign-in test.
 */
export function teardown() {
  cleanup();
  vi.unstubAllGlobals();
  forgetCognitoConfig();
  setApiBase(API_BASE);
  sessionStorage.clear();
  window.history.replaceState(null, '', '/');
}
