// 11.3's summary tables in a module worker of their own (bundled by scripts/vendor.ts into
// vendor/tables-worker.js), with arquero: the page starts it when the reader comes near a table.
import {serveLab} from "../../ui/lab-worker.js";
import {kafkaLogTables} from "./tables.js";

serveLab({kafkaLogTables});
