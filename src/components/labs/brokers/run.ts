// The page's way to run 11.3's experiments: in the lab's worker (worker.ts), a newer input
// superseding a run still in flight.
import {FileAttachment} from "observablehq:stdlib";
import {labWorker} from "../../ui/lab-worker.js";

export const runBrokers = labWorker(FileAttachment("./vendor/worker.js").url());

/** The summary tables (tables-worker.ts, with arquero): a worker started at the first table the reader comes near. */
export const runBrokerTables = labWorker(FileAttachment("./vendor/tables-worker.js").url());
