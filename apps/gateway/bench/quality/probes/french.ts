// Cheap checks of an llm answer: is it French, how long is it, does it parse as JSON when asked.
// "French" is a vocabulary test, not a language model: at least 15 % of the words (and 2 or more) are French
// function words, or the text has French accented letters and no English function words dominate. Enough to
// tell French from English or an empty/refused answer; it does not grade the French.

const FRENCH = new Set('le la les un une des de du au aux et est sont à il elle ils elles je tu nous vous que qui pour avec dans sur pas ne se sa son ses ton ta tes mon ma mes ce cette c est où qu en y a bien très'.split(' '));
const ENGLISH = new Set('the a an and is are of to in with for on that this it you he she they not'.split(' '));

export function wordsOf(text: string): string[] {
  return text.toLocaleLowerCase('fr').split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

export function looksFrench(text: string): boolean {
  const words = wordsOf(text);
  if (words.length === 0) return false;
  const french = words.filter((w) => FRENCH.has(w)).length;
  const english = words.filter((w) => ENGLISH.has(w)).length;
  if (english > french) return false;
  return (french >= 2 && french / words.length >= 0.15) || (/[àâçéèêëîïôûùüÿœ]/i.test(text) && french >= 1);
}

/** The JSON value in an answer (a bare object, or one in a ``` fence), or null when none parses. */
export function parseJsonAnswer(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1];
  const candidate = (fenced ?? text).trim();
  try {
    return JSON.parse(candidate) as unknown;
  } catch {
    return null;
  }
}
