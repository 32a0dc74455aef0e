// 11.3's experiments in a module worker (bundled by scripts/vendor.ts into vendor/worker.js): the
// three rebalance runs, the log read by four groups and the three-way task comparison each take
// longer than a frame, and with every experiment here the page loads none of the broker models.
import {serveLab} from "../../ui/lab-worker.js";
import {experiments} from "./index.js";

serveLab(experiments);
