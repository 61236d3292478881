import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { XmlReader } from "../../src/xmpp/wire/xml-reader.ts";

/** What a reader reports for bytes from the other end, cut into two chunks at `cut`. */
function read(input: string, cut: number): string[] {
  const events: string[] = [];
  const reader = new XmlReader(new net.Socket(), {
    header: (el) => events.push(`header ${el.name}`),
    element: (el) => events.push(`element ${el.toString()}`),
    end: () => events.push("end"),
    problem: (m) => events.push(`problem ${m}`),
    closed: () => undefined,
  });
  const feed = (reader as unknown as { onData: (b: Buffer) => void }).onData;
  feed(Buffer.from(input.slice(0, cut)));
  feed(Buffer.from(input.slice(cut)));
  return events;
}

const ERROR = "<stream:error><invalid-namespace xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>";

test("a stream error sent merely as a stream error element (no header before it) is a first-level element, never the header", () => {
  for (const cut of [5, 30, 90]) {
    assert.deepEqual(read(`${ERROR}</stream:stream>`, cut), [`element ${ERROR.replace(/'/g, '"')}`, "end"]);
  }
});

test("a stream header, its stream error and its closing tag read as before", () => {
  const header = "<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' id='x'>";
  assert.deepEqual(read(`${header}${ERROR}</stream:stream>`, 40), ["header stream:stream", `element ${ERROR.replace(/'/g, '"')}`, "end"]);
  // An unprefixed <stream> in the stream namespace is a header too.
  assert.deepEqual(read("<stream xmlns='http://etherx.jabber.org/streams' id='y'><features/></stream>", 10), ["header stream", "element <features/>", "end"]);
});
