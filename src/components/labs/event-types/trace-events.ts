// The event-types lab's trace events (disguise.ts): kind => fields, exactly as recorded.
// Declaration merging adds them to the kernel's TraceEventMap; nothing imports this file: tsc
// reads it with src/.

declare module "../../sim/trace.js" {
  interface TraceEventMap {
    /** A registration under one design: a true event (completes at once) or a command disguised as one (waits for the mailer). */
    "events.registration": {design: "event" | "disguised"; id: number; completed: boolean};
  }
}

export {};
