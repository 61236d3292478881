import { createHash, createHmac, pbkdf2, randomBytes } from "node:crypto";
import { promisify } from "node:util";

const derive = promisify(pbkdf2);

/** What @xmpp/sasl hands a mechanism's response(). */
interface SaslCredentials {
  username: string;
  password: string;
}

const HASHES = { "SCRAM-SHA-1": { hash: "sha1", size: 20 }, "SCRAM-SHA-256": { hash: "sha256", size: 32 } } as const;
export type ScramName = keyof typeof HASHES;

/** RFC 5802 §5.1: ',' and '=' in a username are escaped. */
const saslname = (s: string) => s.replace(/=/g, "=3D").replace(/,/g, "=2C");

/** RFC 5802 §6: a -PLUS mechanism's channel binding: its type (the GS2 header's "p=") and data. */
export interface ScramBinding {
  type: string;
  data: Buffer;
}

/**
 * SCRAM-SHA-1 (RFC 5802) and SCRAM-SHA-256 (RFC 7677) for the saslmechanisms factory that @xmpp/sasl uses:
 * the library ships only SCRAM-SHA-1, whose pure-JS PBKDF2 costs about a second per login; Node's own
 * PBKDF2 runs off the event loop in milliseconds. Without `binding` the GS2 header says the client does not
 * support channel binding ("n,,"); with it, the -PLUS variant: "p=TYPE,," and the binding's data in "c=".
 */
export function scramMechanism(name: ScramName, binding?: ScramBinding | "y") {
  // "y": the client could bind but saw no channel binding offered (RFC 5802 §6), what a stripped -PLUS looks like.
  const gs2 = binding === "y" ? "y,," : binding ? `p=${binding.type},,` : "n,,";
  const cbData = binding && binding !== "y" ? binding.data : Buffer.alloc(0);
  const { hash, size } = HASHES[name];
  const hmac = (key: Buffer, text: string) => createHmac(hash, key).update(text).digest();
  return class Scram {
    readonly name = binding && binding !== "y" ? `${name}-PLUS` : name;
    readonly clientFirst = true;
    private firstBare = "";
    private serverFirst = "";

    /** The nonce is random; tests pass the RFC examples' nonces. */
    constructor(private readonly clientNonce = randomBytes(18).toString("base64")) {}

    challenge(text: string): void {
      this.serverFirst = text;
    }

    async response(cred: SaslCredentials): Promise<string> {
      if (!this.firstBare) {
        this.firstBare = `n=${saslname(cred.username)},r=${this.clientNonce}`;
        return `${gs2}${this.firstBare}`;
      }
      const attrs = new Map(this.serverFirst.split(",").map((kv) => [kv.slice(0, 1), kv.slice(2)] as const));
      const nonce = attrs.get("r") ?? "";
      const salt = Buffer.from(attrs.get("s") ?? "", "base64");
      const iterations = Number(attrs.get("i"));
      if (!nonce.startsWith(this.clientNonce) || salt.length === 0 || !(iterations > 0)) throw new Error(`${name}: malformed server-first-message: ${this.serverFirst}`);
      const withoutProof = `c=${Buffer.concat([Buffer.from(gs2), cbData]).toString("base64")},r=${nonce}`;
      const salted = await derive(cred.password, salt, iterations, size, hash);
      const clientKey = hmac(salted, "Client Key");
      const storedKey = createHash(hash).update(clientKey).digest();
      const signature = hmac(storedKey, `${this.firstBare},${this.serverFirst},${withoutProof}`);
      const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]));
      return `${withoutProof},p=${proof.toString("base64")}`;
    }
  };
}
