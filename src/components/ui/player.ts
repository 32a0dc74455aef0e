// The controls every animated view shares (the flow diagram, the log view): rewind, step back,
// play/pause, step, speed and a time scrubber, over a run cut into steps (one trace event, or one
// instant of the flow). The view is a function of (time, steps done), so stepping back is drawing
// one step fewer: the run is replayed, never undone. A visually hidden live region says what each
// step did, so a screen-reader user follows the same run. Under prefers-reduced-motion nothing
// plays by itself.
import {el} from "./dom.js";
import {countAt} from "./log-state.js";

export interface PlayerSource {
  /** Each step's virtual time, non-decreasing. */
  times: readonly number[];
  /** What step i did, in one sentence. */
  describe: (i: number) => string;
  /** The last virtual time to show (default: the last step's). */
  end?: number;
}

export interface PlayerOptions {
  /** Virtual ms per real second at 1x (default: the whole run in about 12 s). */
  msPerSecond?: number;
  /** Play at once (never under prefers-reduced-motion). */
  autoplay?: boolean;
  /** The frame shown before anything is pressed when not playing: the start or the end of the run. */
  initial?: "start" | "end";
}

export interface Player {
  /** The controls and the live region, to append under the view. */
  element: HTMLElement;
  /** Draws the first frame and starts playing if asked; call once the view is built. */
  start(): void;
  /** Shows virtual time `time` (every step up to it done), paused. */
  seek(time: number): void;
}

/** The view's drawing: returns a short status for the clock ("3 in view"). */
export type Draw = (time: number, done: number) => string | void;

export const prefersReducedMotion = () => typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function player({times, describe, end: endOption}: PlayerSource, draw: Draw, {msPerSecond, autoplay = false, initial = "start"}: PlayerOptions = {}): Player {
  const count = times.length;
  const end = Math.max(1, endOption ?? 0, times.at(-1) ?? 0);
  const speed = msPerSecond ?? end / 12;
  const button = (label: string, name: string) => el("button", {type: "button", class: `player-${name}`}, label);
  const rewind = button("Rewind", "rewind");
  // "Back", not "Step back": a search for the Step button by its name must find one button.
  const back = button("Back", "back");
  const play = button("Play", "play");
  const step = button("Step", "step");
  const speedSelect = el("select", {"aria-label": "speed"});
  for (const s of [0.25, 0.5, 1, 2, 4]) speedSelect.append(new Option(`${s}x`, String(s), s === 1, s === 1));
  const scrubber = el("input", {type: "range", min: 0, max: end, step: "any", value: 0, "aria-label": "time"});
  const clock = el("output", {class: "player-clock"});
  const live = el("p", {class: "visually-hidden player-live", "aria-live": "polite"});
  const element = el("div", {class: "player"}, el("div", {class: "player-controls flow-controls"}, rewind, back, play, step, speedSelect, scrubber, clock), live);

  let t = 0;
  let done = 0;
  let playing = false;
  let last = 0;
  let spoken = 0;
  const say = (text: string) => {
    live.textContent = text;
    element.dataset.said = text;
  };
  const render = () => {
    const status = draw(t, done);
    scrubber.value = String(t);
    clock.value = `t = ${seconds(t)} · step ${done} of ${count}${status ? ` · ${status}` : ""}`;
    Object.assign(element.dataset, {time: String(t), step: String(done)});
    back.disabled = done === 0 && t === 0;
  };
  const setPlaying = (on: boolean) => {
    playing = on;
    play.textContent = on ? "Pause" : "Play";
    element.dataset.playing = String(on);
    if (on) {
      if (t >= end) [t, done] = [0, 0];
      last = spoken = performance.now();
      requestAnimationFrame(frame);
    }
  };
  const frame = (now: number) => {
    if (!playing) return;
    if (!element.isConnected) return setPlaying(false);
    t = Math.min(end, t + ((now - last) / 1000) * speed * Number(speedSelect.value));
    last = now;
    done = countAt(times, t);
    render();
    // While playing, say the latest step every two seconds: a polite region must not flood.
    if (done > 0 && now - spoken > 2000) {
      spoken = now;
      say(describe(done - 1));
    }
    if (t >= end) {
      setPlaying(false);
      say(`End of the run at t = ${seconds(t)}: ${count} steps. Press Step to start again.`);
    } else requestAnimationFrame(frame);
  };
  play.onclick = () => {
    setPlaying(!playing);
    if (!playing) say(`Paused at t = ${seconds(t)}, step ${done} of ${count}.`);
  };
  step.onclick = () => {
    setPlaying(false);
    if (count === 0) return say("Nothing happens in this run.");
    // After the end (or with every step done), Step starts the run again from its first step.
    const again = done >= count;
    done = again ? 1 : done + 1;
    t = times[done - 1];
    render();
    say(`${again ? "From the start again. " : ""}Step ${done} of ${count}: ${describe(done - 1)}`);
  };
  back.onclick = () => {
    setPlaying(false);
    if (done === 0) {
      t = 0;
      render();
      return say("At the start of the run.");
    }
    const undone = done - 1;
    done = undone;
    t = done > 0 ? times[done - 1] : 0;
    render();
    say(`Back to step ${done} of ${count}; undone: ${describe(undone)}`);
  };
  rewind.onclick = () => {
    setPlaying(false);
    [t, done] = [0, 0];
    render();
    say(`Rewound to the start: nothing has happened yet; ${count} steps to go.`);
  };
  const seek = (time: number) => {
    setPlaying(false);
    t = Math.max(0, Math.min(end, time));
    done = countAt(times, t);
    render();
  };
  scrubber.oninput = () => seek(Number(scrubber.value));
  scrubber.onchange = () => say(`At t = ${seconds(t)}, step ${done} of ${count}${done > 0 ? `: ${describe(done - 1)}` : "."}`);

  const start = () => {
    const still = !autoplay || prefersReducedMotion();
    if (still && initial === "end") [t, done] = [end, count];
    render();
    if (!still && count > 0) setPlaying(true);
  };
  return {element, start, seek};
}
