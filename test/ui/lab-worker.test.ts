// labWorker's warm runs (src/components/ui/lab-worker.ts) against a stand-in Worker that records
// what the page posts and replies when told: when a warm run starts, that it is not repeated, and
// that the reader's runs never wait behind more than one; and serveLab's answer to a warm request.
import {afterEach, beforeEach, describe, expect, it, vi} from "vitest";
import {experiment} from "../../src/components/claims/claim.js";
import {labWorker, runView, serveLab} from "../../src/components/ui/lab-worker.js";

type Posted = {id: number; name: string; parameters: Record<string, unknown>; warm?: boolean};

class StandInWorker {
  static made: StandInWorker[] = [];
  posted: Posted[] = [];
  onmessage: ((event: {data: unknown}) => void) | null = null;
  onerror: unknown = null;
  constructor() {
    StandInWorker.made.push(this);
  }
  postMessage(request: Posted) {
    this.posted.push(request);
  }
  /** Answers the request posted n-th (from 0): a warm one with no run, as serveLab does. */
  reply(n: number) {
    const {id, warm, parameters} = this.posted[n];
    this.onmessage?.({data: warm ? {id} : {id, run: {observed: {}, view: parameters}}});
  }
  terminate() {}
}

const worker = () => StandInWorker.made[0];
const what = (posted: Posted[]) => posted.map(({name, warm}) => `${warm ? "warm " : ""}${name}`);
/** Lets the page's side post what it has to (the worker loads behind a promise). */
const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  StandInWorker.made = [];
  vi.stubGlobal("Worker", StandInWorker);
  vi.useFakeTimers({toFake: ["setTimeout", "clearTimeout", "performance"]});
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("labWorker's warm runs", () => {
  it("load the worker at once and run once the worker has been asked nothing for 500 ms, the lab asked for last first, one at a time", async () => {
    const lab = labWorker("worker.js");
    lab.warm("a", {n: 1});
    await flush();
    expect(StandInWorker.made).toHaveLength(1);
    expect(worker().posted).toEqual([]);
    await vi.advanceTimersByTimeAsync(300);
    lab.warm("b", {n: 2}); // the reader scrolled on to another lab: the pause starts again
    await vi.advanceTimersByTimeAsync(300);
    expect(worker().posted).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(worker().posted).toMatchObject([{name: "b", parameters: {n: 2}, warm: true}]);
    worker().reply(0);
    await flush();
    expect(what(worker().posted)).toEqual(["warm b", "warm a"]);
  });

  it("go first for a lab asked for again (the reader came back to it)", async () => {
    const lab = labWorker("worker.js");
    for (const name of ["a", "b", "c", "a"]) lab.warm(name, {n: 1});
    await vi.advanceTimersByTimeAsync(500);
    for (let n = 0; n < 2; n++) worker().reply(n), await flush();
    expect(what(worker().posted)).toEqual(["warm a", "warm c", "warm b"]);
  });

  it("are not repeated, and none runs for an experiment the reader already ran", async () => {
    const lab = labWorker("worker.js");
    const ran = lab("a", {n: 5});
    await flush();
    worker().reply(0);
    await ran;
    lab.warm("a", {n: 1});
    lab.warm("b", {n: 1});
    await vi.advanceTimersByTimeAsync(500);
    worker().reply(1);
    lab.warm("b", {n: 1});
    await vi.advanceTimersByTimeAsync(2000);
    expect(what(worker().posted)).toEqual(["a", "warm b"]);
  });

  it("leave the reader's run to wait behind at most the one in flight, and start no other while it runs", async () => {
    const lab = labWorker("worker.js");
    for (const name of ["a", "b", "c"]) lab.warm(name, {n: 1});
    await vi.advanceTimersByTimeAsync(500);
    expect(what(worker().posted)).toEqual(["warm c"]);
    const run = lab("a", {n: 7}); // posted at once: the worker answers it right after the warm run
    await flush();
    expect(what(worker().posted)).toEqual(["warm c", "a"]);
    worker().reply(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(what(worker().posted)).toEqual(["warm c", "a"]);
    worker().reply(1);
    await expect(run).resolves.toEqual({observed: {}, view: {n: 7}});
    await vi.advanceTimersByTimeAsync(500);
    expect(what(worker().posted)).toEqual(["warm c", "a", "warm b"]);
    worker().reply(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(what(worker().posted)).toEqual(["warm c", "a", "warm b"]); // "a" ran for the reader: no warm run of it
  });

  it("wait for a dragged slider to pause", async () => {
    const lab = labWorker("worker.js");
    lab.warm("b", {n: 1});
    for (let step = 0; step < 10; step++) {
      void lab("a", {n: step}).catch(() => undefined);
      await vi.advanceTimersByTimeAsync(50);
      worker().reply(worker().posted.length - 1);
      await flush();
    }
    expect(worker().posted.every((p) => !p.warm)).toBe(true);
    await vi.advanceTimersByTimeAsync(500);
    expect(what(worker().posted).at(-1)).toBe("warm b");
  });
});

describe("serveLab", () => {
  it("runs a warm request's experiment and sends back no run; a request's reply is runView's", async () => {
    const runs: unknown[] = [];
    const lab = {square: experiment({run: (p: {n: number}) => (runs.push(p.n), p.n * p.n), metrics: {square: (r: number) => r}, view: (r: number) => ({r})})};
    const replies: unknown[] = [];
    vi.stubGlobal("postMessage", (reply: unknown) => replies.push(reply));
    serveLab(lab);
    const onmessage = (globalThis as unknown as {onmessage: (event: {data: Posted}) => Promise<void>}).onmessage;
    await onmessage({data: {id: 1, name: "square", parameters: {n: 3}, warm: true}});
    await onmessage({data: {id: 2, name: "square", parameters: {n: 4}}});
    expect(runs).toEqual([3, 4]);
    expect(replies).toEqual([{id: 1}, {id: 2, run: await runView(lab.square, {n: 4})}]);
  });
});
