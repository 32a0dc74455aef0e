// The coupling lab's trace events (model.ts): kind => fields, exactly as recorded. Declaration
// merging adds them to the kernel's TraceEventMap; nothing imports this file: tsc reads it with src/.

declare module "../../sim/trace.js" {
  interface TraceEventMap {
    /** The order service answered request `id` (ok false: a downstream call failed or timed out). */
    "coupling.response": {model: "request-driven" | "event-driven"; id: number; ok: boolean; latency: number};
    /** A subscribed service processed OrderPlaced `id`, `delay` ms after it was published. */
    "coupling.consume": {service: string; id: number; delay: number};
  }
}

export {};
