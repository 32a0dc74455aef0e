// 11.4's experiments in a module worker (bundled by scripts/vendor.ts into vendor/worker.js):
// a thousand keyless records or twenty transactions take tens of ms to simulate and tabulate,
// too long for the page's own thread while a slider moves; the summary tables' arquero loads
// here, never with the page.
import {serveLab} from "../../ui/lab-worker.js";
import {experiments} from "./index.js";

serveLab(experiments);
