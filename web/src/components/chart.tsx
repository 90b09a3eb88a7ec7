// Mounts a pure chart function's output; re-renders when anything the render function reads changes
// (data, language).
import { createEffect, onCleanup } from 'solid-js';

export function Chart(props: { render: () => Element | null; class?: string; testId?: string }) {
  let host!: HTMLDivElement;
  createEffect(() => {
    const el = props.render();
    host.replaceChildren(...(el ? [el] : []));
  });
  onCleanup(() => host?.replaceChildren());
  return <div ref={host} class={`chart ${props.class ?? ''}`} data-testid={props.testId} />;
}
