// Numbers written in digits, read as a French child says them: Whisper often writes "3" where the child read
// "trois", and a text may print "21" where the child reads "vingt et un". Both sides of the reading check are
// spelled out the same way, so "3" = "trois" and "1er" = "premier".
//
// Spelled as words separated by spaces (the check splits hyphenated words anyway, so "vingt-et-un",
// "vingt et un" and "21" all become vingt / et / un), with the usual agreement: "quatre vingts" but
// "quatre vingt un", "deux cents" but "deux cent un" and "deux cent mille", "mille" invariable.

const UNITS = ['zéro', 'un', 'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf', 'dix',
  'onze', 'douze', 'treize', 'quatorze', 'quinze', 'seize'];
const TENS: Record<number, string> = { 2: 'vingt', 3: 'trente', 4: 'quarante', 5: 'cinquante', 6: 'soixante' };
/** The largest number spelled out; a longer run of digits (a phone number, a code) stays as it is. */
export const MAX_SPELLED = 999_999_999;

function belowHundred(n: number, last: boolean): string[] {
  if (n < 17) return [UNITS[n]!];
  if (n < 20) return ['dix', UNITS[n - 10]!];
  const tens = Math.floor(n / 10);
  const unit = n % 10;
  if (tens <= 6) {
    const base = TENS[tens]!;
    if (unit === 0) return [base];
    return unit === 1 ? [base, 'et', 'un'] : [base, UNITS[unit]!];
  }
  if (tens === 7) return unit === 1 ? ['soixante', 'et', 'onze'] : ['soixante', ...belowHundred(10 + unit, last)];
  if (tens === 8) return unit === 0 ? ['quatre', last ? 'vingts' : 'vingt'] : ['quatre', 'vingt', UNITS[unit]!];
  return ['quatre', 'vingt', ...belowHundred(10 + unit, last)]; // 90-99: quatre vingt dix ... dix neuf
}

/** 0..999; `last`: nothing follows (vingts and cents take their s only at the end of the number). */
function belowThousand(n: number, last: boolean): string[] {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds === 0) return belowHundred(rest, last);
  const head = hundreds === 1 ? ['cent'] : [UNITS[hundreds]!, rest === 0 && last ? 'cents' : 'cent'];
  return rest === 0 ? head : [...head, ...belowHundred(rest, last)];
}

/** The words of a whole number from 0 to MAX_SPELLED. */
export function spellCardinal(n: number): string[] {
  if (!Number.isInteger(n) || n < 0 || n > MAX_SPELLED) throw new RangeError(`cannot spell ${n}`);
  if (n < 1000) return belowThousand(n, true);
  const millions = Math.floor(n / 1_000_000);
  const thousands = Math.floor(n / 1000) % 1000;
  const rest = n % 1000;
  const out: string[] = [];
  if (millions > 0) out.push(...(millions === 1 ? ['un', 'million'] : [...belowThousand(millions, true), 'millions']));
  if (thousands > 0) out.push(...(thousands === 1 ? ['mille'] : [...belowThousand(thousands, false), 'mille']));
  if (rest > 0) out.push(...belowThousand(rest, true));
  return out;
}

/** "cinq" → "cinquième", "quatre vingts" → "quatre vingtième", "un" (in 21) → "unième". */
function ordinalOf(word: string): string {
  const stem = word.replace(/(vingt|cent|million)s$/, '$1');
  if (stem === 'cinq') return 'cinquième';
  if (stem === 'neuf') return 'neuvième';
  return `${stem.endsWith('e') ? stem.slice(0, -1) : stem}ième`;
}

const ORDINAL = /^(\d{1,9})(er|re|ère|ere|e|ème|eme|è|nd|nde|d|de)$/i;
const CARDINAL = /^\d{1,9}$/;

/**
 * The words a token of digits is read as: "3" → [trois], "21" → [vingt, et, un], "1er" → [premier],
 * "2e" → [deuxième]; null when the token is not a number this spells (letters around it, too many digits).
 */
export function spellNumberToken(token: string): string[] | null {
  if (CARDINAL.test(token)) return spellCardinal(Number(token));
  const ordinal = ORDINAL.exec(token);
  if (!ordinal) return null;
  const n = Number(ordinal[1]);
  const suffix = ordinal[2]!.toLowerCase();
  if (n === 0) return null;
  if (n === 1 && ['er', 'ère', 're', 'ere'].includes(suffix)) return [suffix === 'er' ? 'premier' : 'première'];
  if (['nd', 'd'].includes(suffix)) return n === 2 ? ['second'] : null;
  if (['nde', 'de'].includes(suffix)) return n === 2 ? ['seconde'] : null;
  if (!['e', 'ème', 'eme', 'è'].includes(suffix)) return null;
  const words = spellCardinal(n);
  return [...words.slice(0, -1), ordinalOf(words.at(-1)!)];
}
