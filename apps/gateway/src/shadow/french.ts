// Is an answer in French? A stop-word count, enough to catch a model that answers a French child in
// English (the usual failure of a small model): the answer's words found in a list of the most common
// French words against those found in the English list. Too few such words (a one-word answer, "Bravo !")
// decides nothing: `unknown`, never counted against the model.
const FRENCH = new Set(
  'le la les un une des de du et est en que qui dans pour pas sur au aux avec ce cette il elle ils elles nous vous je tu on son sa ses mais ou où par plus ne se sont tout très bien aussi comme mot mots lettre lire'.split(' '),
);
const ENGLISH = new Set('the a an and is are of to in that it for on with as was this be at by not or from but have you your i we they he she his her what which word words letter read'.split(' '));

export type Language = 'fr' | 'other' | 'unknown';

/** At least this many stop words, French and English together, before deciding. */
const MIN_EVIDENCE = 2;

export function answerLanguage(text: string): Language {
  let fr = 0;
  let en = 0;
  // Apostrophes split elided words: l'enfant → l, enfant; "it's" → it, s.
  for (const word of text.toLocaleLowerCase('fr').split(/[^\p{L}]+/u)) {
    if (word === '') continue;
    if (FRENCH.has(word)) fr += 1;
    if (ENGLISH.has(word)) en += 1;
  }
  if (fr + en < MIN_EVIDENCE) return 'unknown';
  return fr > en ? 'fr' : 'other';
}
