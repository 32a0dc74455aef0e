export {createSimulation, SimulationLimitError, SimulationReentryError, type Simulation, type SimulationOptions, type Timer} from "./simulation.js";
export {createRandom, type Random} from "./random.js";
export {Trace, TraceLimitError, type TraceEvent, type TraceEventMap, type TraceEventOf, type TraceEventUnder, type TraceKind, type TracePrefix} from "./trace.js";
export {advanceUntil, advanceUntilSettled, WaitTimeoutError, type AdvanceUntilOptions} from "./wait.js";
