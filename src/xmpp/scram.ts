import { createRequire } from "node:module";
import { pbkdf2Sync } from "node:crypto";

/**
 * @xmpp/client's SCRAM-SHA-1 computes PBKDF2 as thousands of sequential WebCrypto calls (about 1 s per
 * login against Prosody). Node's native PBKDF2 gives the same bytes in a few milliseconds.
 */
const require = createRequire(import.meta.url);
const bitops = require("sasl-scram-sha-1/lib/bitops.js") as { Hi: (text: string, salt: Uint8Array, iterations: number) => Promise<Uint8Array> };
bitops.Hi = async (text, salt, iterations) => new Uint8Array(pbkdf2Sync(text, salt, iterations, 20, "sha1"));
