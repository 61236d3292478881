/**
 * A catalog row is true to its RFC when its quote is the RFC's own words in the section the row cites, and its
 * level is the first BCP 14 keyword of that quote, unless the row is derived (the rule is implied, so the quote
 * is the sentence it is implied from) or its Level cell says why not ("(reviewed: …)"). One rule for derived
 * rows: they are at most SHOULD, so a rule the RFC does not state can warn but never fail a server.
 */
import { findSpec } from "../specification/registry.ts";
import { checkQuote, firstKeyword, quotesIn } from "../specification/quotes.ts";
import { read } from "./parse.ts";

export interface RowProblem {
  id: string;
  line: number;
  message: string;
}

/** Every row of a catalog (Markdown) whose quote or level does not hold; cells are judged through their row. */
export function rowProblems(md: string): RowProblem[] {
  const { requirements } = read(md);
  const problems: RowProblem[] = [];
  for (const r of requirements) {
    if (r.cellOf) continue;
    const problem = (message: string) => problems.push({ id: r.id, line: r.line ?? 0, message });
    const spec = findSpec(r.statedIn);
    if (!spec) {
      problem(`${r.statedIn} is not a specification of the registry (src/specification/registry.ts)`);
      continue;
    }
    if (!r.quote) {
      problem("no quote: the Quote column gives the RFC's sentence");
      continue;
    }
    const quotes = quotesIn(r.quote, spec, r.sections);
    if (quotes.length === 0) problem(`the quote is not in double quotes: ${r.quote.slice(0, 60)}`);
    for (const q of quotes) {
      const why = checkQuote(q);
      if (why) problem(why);
    }
    if (r.derived && r.maxLevel === "MUST") problem("a derived row is at most SHOULD: cite the sentence that says MUST, or grade it SHOULD (derived)");
    if (r.derived || r.reviewed || r.level === null) continue;
    const keyword = firstKeyword(quotes.map((q) => q.text).join(" "));
    if (keyword !== r.level) {
      problem(`level ${r.level}, but the quote's first keyword is ${keyword ?? "none"}: grade the row by it, quote the sentence that states the level, mark it derived, or say why in '(reviewed: …)'`);
    }
  }
  return problems;
}
