// The reader's progress on the exercises, kept in this browser only (localStorage; nothing leaves
// the machine): per exercise, whether a Grade has passed and when the last one ran. A value that
// is missing, corrupt or of another shape reads as "not tried", and storage that refuses (private
// mode, a sandboxed frame, a full quota) only means progress is not kept.

export interface Progress {
  /** A Grade of this exercise has passed (it stays true after a later failure). */
  passed: boolean;
  /** When the last Grade ended, in ms since the epoch. */
  lastAttempt: number;
  /** Whether that last Grade passed. */
  lastPassed: boolean;
}

import {el} from "./dom.js";

const KEY = "eda-workbook:exercise:";

/** What is stored for `id`, or null when nothing usable is (never throws). */
export function readProgress(id: string, storage: Pick<Storage, "getItem"> | null = localStorageOrNull()): Progress | null {
  try {
    const value = JSON.parse(storage?.getItem(KEY + id) ?? "null") as Partial<Progress> | null;
    if (typeof value?.passed !== "boolean" || typeof value.lastPassed !== "boolean" || !Number.isFinite(value.lastAttempt)) return null;
    return {passed: value.passed, lastAttempt: value.lastAttempt as number, lastPassed: value.lastPassed};
  } catch {
    return null;
  }
}

/** Records one Grade's outcome; returns what is now stored (also when storage refused it). */
export function recordAttempt(id: string, passed: boolean, now = Date.now(), storage: Pick<Storage, "getItem" | "setItem"> | null = localStorageOrNull()): Progress {
  const progress = {passed: passed || (readProgress(id, storage)?.passed ?? false), lastAttempt: now, lastPassed: passed};
  try {
    storage?.setItem(KEY + id, JSON.stringify(progress));
  } catch {
    // not kept: the page works the same
  }
  return progress;
}

/** "Passed", "Tried, not passed yet" or "Not tried", with the last attempt's date. */
export function describeProgress(progress: Progress | null, locale = "en-GB"): string {
  if (!progress) return "Not tried yet";
  const when = new Date(progress.lastAttempt).toLocaleString(locale, {day: "numeric", month: "short", hour: "2-digit", minute: "2-digit"});
  if (progress.passed) return `Passed · last graded ${when}${progress.lastPassed ? "" : " (that one failed)"}`;
  return `Not passed yet · last graded ${when}`;
}

/** The exercise's section on its page ("./brokers.html#exercise-work-queue-acks": links end in .html, see README "Publishing"). */
export const exerciseLink = (page: string, id: string): string => `.${page}.html#exercise-${id}`;

/** The home page's map of the exercises: each one's section, a link to it and the reader's progress. */
export function progressMap(exercises: Record<string, {id: string; section: string; page: string; title: string}>): HTMLElement {
  const list = Object.values(exercises).sort((a, b) => a.section.localeCompare(b.section, "en", {numeric: true}) || a.title.localeCompare(b.title));
  return el(
    "ul",
    {class: "exercise-map"},
    list.map((e) => {
      const progress = readProgress(e.id);
      return el("li", {"data-exercise": e.id, "data-passed": progress?.passed ?? false}, el("span", {class: "exercise-map-mark", "aria-hidden": "true"}, progress?.passed ? "✓" : progress ? "…" : "○"), ` ${e.section} `, el("a", {href: exerciseLink(e.page, e.id)}, e.title), el("span", {class: "exercise-map-status"}, ` · ${describeProgress(progress)}`));
    })
  );
}

function localStorageOrNull(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
