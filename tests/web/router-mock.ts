// A stand-in for @solidjs/router in component tests: links are plain anchors and params come from the test.
// (The web vitest project externalises node_modules, and the router ships .jsx; the real router runs in the
// browser end-to-end tests.) Use: vi.mock('@solidjs/router', () => import('./router-mock.ts')).
import type { JSX } from 'solid-js';
import { insert } from 'solid-js/web';

export const params: Record<string, string> = {};

export function useParams<T extends Record<string, string>>(): T {
  return params as T;
}

export function A(props: {
  href: string;
  class?: string;
  end?: boolean;
  children?: JSX.Element;
}): JSX.Element {
  const a = document.createElement('a');
  a.setAttribute('href', `#${props.href}`);
  if (props.class) a.className = props.class;
  insert(a, () => props.children);
  return a;
}
