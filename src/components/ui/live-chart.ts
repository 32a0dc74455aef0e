// A chart that stays on the page while its data changes, for a lab whose runs arrive one after
// another as a control is dragged (lab-worker.ts liveRuns). A cell that drew each run into a new
// resize() container inserted an empty box, laid the page out, then drew at the measured width
// and laid it out again, for every chart and every run. This container is drawn once, keeps its
// width and height, and each run replaces only what is inside it: at the width its
// ResizeObserver last reported, and again when that width changes. Each update draws in a task
// of its own, so that a page's charts never add up to one long task while a control is dragged
// (a newer value that comes before the draw replaces the older one). A redrawn chart changes no
// stylesheet (shared-style.ts), so a redraw does not restyle every chart on the page.
import {experimentError} from "./dom.js";
import {sharedStyle} from "./shared-style.js";

export interface LiveChart<T> extends HTMLDivElement {
  /** Draws `value` in place (an Error is shown as the experiment's error). */
  update(value: T | Error): void;
}

export function liveChart<T>(draw: (value: T, width: number) => Node): LiveChart<T> {
  const node = document.createElement("div") as LiveChart<T>;
  node.className = "live-chart";
  let value: T | Error | undefined;
  let width = 0;
  // Until the container is on the page its width is unknown; the observer's first report draws.
  const render = () => {
    if (value === undefined || width === 0) return;
    node.replaceChildren(value instanceof Error ? experimentError(value) : sharedStyle(draw(value, width)));
  };
  new ResizeObserver(([entry]) => {
    // Drawn and laid out: from now on its card may be skipped off screen and keep this height (style.css).
    if (entry.contentRect.height > 0) node.classList.add("live-chart-laid-out");
    const measured = Math.floor(entry.contentRect.width);
    if (measured === width) return;
    width = measured;
    render();
  }).observe(node);
  let queued = false;
  node.update = (next) => {
    value = next;
    if (queued) return;
    queued = true;
    setTimeout(() => {
      queued = false;
      render();
    });
  };
  return node;
}
