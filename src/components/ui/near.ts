// What waits for the reader to come near: a code cell's editor (cells/index.ts), a lab's warm run
// (lab-worker.ts liveRuns). Nothing starts before the reader has used the page (a scroll, a key, a
// press), so a page's first load stays its own (issue 15 §2: at most 600 KB of script before the
// reader interacts); from then on, what comes within NEAR of the viewport starts.

/** How far ahead of the viewport things start: about two thirds of a screen. */
const NEAR = "600px 0px";
/** Events that say the reader is using the page (a scroll, a key, a press, a wheel, a touch). */
const READER_EVENTS = ["scroll", "wheel", "keydown", "pointerdown", "touchstart"];
const activators = new WeakMap<Element, () => void>();
/** Elements near the viewport that wait for the reader's first interaction. */
const near = new Set<Element>();
let readerHere = false;
let observer: IntersectionObserver | undefined;

/**
 * Calls `activate` when the element is near the viewport and the reader has interacted with the
 * page, and again whenever what is near changes, until `forget(element)`: the elements near, in
 * the order they came near.
 */
export function whenNear(element: Element, activate: () => void): void {
  if (!observer) {
    observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) entry.isIntersecting ? near.add(entry.target) : near.delete(entry.target);
        if (readerHere) wakeNear();
      },
      {rootMargin: NEAR}
    );
    for (const type of READER_EVENTS) addEventListener(type, onReader, {capture: true, passive: true});
  }
  activators.set(element, activate);
  observer.observe(element);
}

/** The reader is using the page: what is near starts now. */
export function onReader(): void {
  if (readerHere) return;
  readerHere = true;
  for (const type of READER_EVENTS) removeEventListener(type, onReader, {capture: true});
  wakeNear();
}

function wakeNear(): void {
  for (const element of [...near]) activators.get(element)?.();
}

/** Stops waiting for the element (it started some other way, or left the page). */
export function forget(element: Element): void {
  near.delete(element);
  activators.delete(element);
  observer?.unobserve(element);
}
