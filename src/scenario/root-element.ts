import { parse, type Element } from "ltx";

/** The root element of a step's XML, or undefined where it is not well-formed (the loader reports that itself). */
export function rootElement(xml: string): Element | undefined {
  try {
    return parse(xml) as Element;
  } catch {
    return undefined;
  }
}
