// The kinds the kernel's own tests record: the kernel knows no model, so its tests declare theirs
// the way each area does (declaration merging into TraceEventMap).

declare module "../../src/components/sim/trace.js" {
  interface TraceEventMap {
    "test.tick": {};
    "test.arrival": {n: number};
  }
}

export {};
