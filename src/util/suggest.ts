import { closest, distance } from "fastest-levenshtein";

/**
 * The known word a typo most likely meant, when it is close enough to be a guess worth making: a few edits
 * away for short words, a third of the word for long ones.
 */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const best = closest(word, known as string[]);
  return distance(word, best) <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** "; did you mean 'x'?" or "". */
export const suggestion = (word: string, known: readonly string[], quote = (s: string) => `'${s}'`) => {
  const best = didYouMean(word, known);
  return best ? `; did you mean ${quote(best)}?` : "";
};
