// 11.1's experiments in a module worker (bundled by scripts/vendor.ts into vendor/worker.js): a
// minute of orders at 200 a second takes a few hundred ms, too long for the page's own thread.
import {serveLab} from "../../ui/lab-worker.js";
import {experiments} from "./index.js";

serveLab(experiments);
