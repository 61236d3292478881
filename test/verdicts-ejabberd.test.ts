import { ejabberd } from "./support/ejabberd.ts";
import { wholeSuiteTests } from "./support/whole-suite.ts";

/** ejabberd's whole suite the ways test/support/whole-suite.ts compares, beside Prosody's file. */
wholeSuiteTests("ejabberd", () => ejabberd({ websocket: true }));
