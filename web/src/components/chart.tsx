// Mounts a pure chart function's output; re-renders when anything the render function reads changes
// (data, language).
import { createEffect, createSignal, onCleanup } from 'solid-js';

export function Chart(props: { render: () => Element | null; class?: string; testId?: string }) {
  let host!: HTMLDivElement;
  createEffect(() => {
    const el = props.render();
    host.replaceChildren(...(el ? [el] : []));
  });
  onCleanup(() => host?.replaceChildren());
  return <div ref={host} class={`chart ${props.class ?? ''}`} data-testid={props.testId} />;
}

/**
 * A chart whose code (Plot and d3, ~240 KB minified) is loaded on first use, so a page shows its figures
 * before the charts' code has arrived; the chart appears as soon as it has. `load` is a dynamic import.
 */
export function LazyChart<M>(props: {
  load: () => Promise<M>;
  render: (chart: M) => Element | null;
  class?: string;
  testId?: string;
}) {
  const [chart, setChart] = createSignal<M>();
  // A failed download leaves the space empty: the figures around it are already on the page.
  props.load().then(
    (m) => setChart(() => m),
    () => undefined,
  );
  return (
    <Chart
      class={props.class}
      testId={props.testId}
      render={() => {
        const m = chart();
        return m === undefined ? null : props.render(m);
      }}
    />
  );
}
