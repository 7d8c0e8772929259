// Plausible French reading material for CP/CE1 children, generated from a seeded source.
import { pick, type Rng } from './rng.ts';

/** Words a beginning reader meets first: what the lab "hears" when an upload carries no marker. */
export const FRENCH_WORDS = [
  'chat', 'papa', 'maman', 'lune', 'école', 'vélo', 'pomme', 'livre', 'soleil', 'maison',
  'ami', 'rose', 'moto', 'table', 'lit', 'petit', 'jardin', 'poule', 'bateau', 'forêt',
] as const;

export const FRENCH_LETTERS = ['a', 'b', 'c', 'd', 'e', 'é', 'f', 'i', 'l', 'm', 'n', 'o', 'p', 'r', 's', 't', 'u', 'v'] as const;

/** Letters a reader (or an OCR) confuses with each other. */
export const LOOK_ALIKES: Readonly<Record<string, string>> = { a: 'o', o: 'a', b: 'd', d: 'b', p: 'q', n: 'u', u: 'n', e: 'c', c: 'e', i: 'l', l: 'i', m: 'n' };

const SUBJECTS = ['Le chat', 'La petite fille', 'Mon papa', 'Le lapin', 'Léo', 'Zoé', 'Le maître', 'La poule rousse'];
const VERBS = ['regarde', 'mange', 'cherche', 'dessine', 'lit', 'range', 'aime', 'trouve'];
const OBJECTS = ['une pomme rouge', 'le livre bleu', 'la lune', 'un petit bateau', 'les fleurs du jardin', 'son vélo', 'une belle image', 'le gâteau'];
const PLACES = ['dans le jardin', 'à l’école', 'sous la table', 'près de la rivière', 'dans la cuisine', 'au parc'];
const QUESTIONS = ['Que fait', 'Où est', 'Qui aime'];

function sentence(rng: Rng): string {
  const withPlace = rng() < 0.5;
  return `${pick(rng, SUBJECTS)} ${pick(rng, VERBS)} ${pick(rng, OBJECTS)}${withPlace ? ` ${pick(rng, PLACES)}` : ''}.`;
}

/** A short reading exercise: a title, a few sentences and a question, about `maxWords` words at most. */
export function readingExercise(rng: Rng, maxWords = 80): string {
  const lines = [`Lecture : ${pick(rng, ['Au jardin', 'À l’école', 'La promenade', 'Le goûter', 'Dans la forêt'])}`];
  const count = 2 + Math.floor(rng() * 3);
  for (let i = 0; i < count; i += 1) lines.push(sentence(rng));
  lines.push(`Question : ${pick(rng, QUESTIONS)} ${pick(rng, SUBJECTS).toLowerCase()} ?`);
  return truncateWords(lines.join('\n'), maxWords);
}

export function truncateWords(text: string, maxWords: number): string {
  const words = text.split(/(\s+)/);
  let kept = 0;
  let out = '';
  for (const piece of words) {
    if (/\S/.test(piece)) {
      if (kept >= maxWords) break;
      kept += 1;
    }
    out += piece;
  }
  return out.trimEnd();
}

/** A short sentence to read aloud (what the traffic generator asks a child to read). */
export function shortSentence(rng: Rng): string {
  return sentence(rng);
}
