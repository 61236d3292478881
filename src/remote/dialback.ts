import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * XEP-0220 §2.4 (the recommended key generation): key = HMAC-SHA256(SHA256(secret), receiving + " " +
 * originating + " " + stream id), in hex. Only the server that made a key ever checks it (the authoritative
 * server answering <db:verify/>), so the secret never leaves this process.
 */
export class DialbackKeys {
  private readonly secret = createHash("sha256").update(randomBytes(32)).digest();

  key(receiving: string, originating: string, streamId: string): string {
    return createHmac("sha256", this.secret).update(`${receiving} ${originating} ${streamId}`).digest("hex");
  }

  verify(key: string, receiving: string, originating: string, streamId: string): boolean {
    const expected = Buffer.from(this.key(receiving, originating, streamId));
    const given = Buffer.from(key.trim());
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
