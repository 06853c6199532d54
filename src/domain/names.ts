import { doubleMetaphone } from 'double-metaphone';
import { transliterate } from 'transliteration';

/**
 * Names folded across scripts. The same person is spelt differently by each agency (Айша, Aisha,
 * Aysha, Oysha); folding turns every spelling into one Latin skeleton, so equal skeletons mean
 * "the same name spelt another way". Raise FOLD_VERSION whenever the result of any function here
 * changes: stored folds of an older version are refolded when the service migrates.
 */
export const FOLD_VERSION = 1;

// Letters of Central Asian Cyrillic alphabets the transliteration library renders as symbols or
// with apostrophes; mapped first to what their Latin alphabets write.
const CYRILLIC_EXTRA: Record<string, string> = {
  ә: 'a', ө: 'o', ү: 'u', ұ: 'u', қ: 'q', ғ: 'g', ҳ: 'h', һ: 'h', ң: 'ng', і: 'i', ҷ: 'j', ӣ: 'i', ӯ: 'u', ў: 'u', ҝ: 'g', ҹ: 'j',
};
const APOSTROPHES = /['`ʻʼ’‘´ʹʿʾ]/g;
const ARABIC_SCRIPT = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/;

/** The words of a name written in lowercase Latin letters, as spelt (no folding of variants). */
export function spellWords(text: string): string[] {
  const mapped = [...text.normalize('NFKC').toLowerCase()].map((c) => CYRILLIC_EXTRA[c] ?? c).join('');
  return transliterate(mapped)
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .split(/[^a-z]+/)
    .filter((word) => word !== '');
}

/** A name as spelt in lowercase Latin letters, words separated by one space. */
export function spellName(text: string): string {
  return spellWords(text).join(' ');
}

// Spellings of one sound in different transliteration systems, longest first.
const UNITS: [string, string][] = [
  ['shch', 'sh'], ['sch', 'sh'], ['dzh', 'j'], ['tch', 'ch'], ['zh', 'j'], ['dj', 'j'], ['kh', 'h'], ['gh', 'g'],
  ['ph', 'f'], ['ts', 'c'], ['tz', 'c'], ['ck', 'k'], ['sh', 'sh'], ['ch', 'ch'], ['x', 'h'], ['q', 'k'], ['w', 'v'],
];
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);

function tokens(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; ) {
    const unit = UNITS.find(([from]) => word.startsWith(from, i));
    out.push(unit ? unit[1] : word[i]!);
    i += unit ? unit[0].length : 1;
  }
  return out;
}

/**
 * One spelt word's skeleton: consonants as one transliteration system writes them, every run of
 * vowels as one "a" (Mohammed, Muhammad → mahamad), doubled letters once, a word-initial y or i
 * before a vowel kept as the consonant y (Yusuf, Iusuf), an initial "ye" as "e" (Yelena, Elena),
 * a final h after a vowel dropped (Abdullah, Abdulla).
 */
export function foldWord(spelt: string): string {
  let word = spelt;
  if (word.startsWith('ye')) word = word.slice(1);
  const units = tokens(word);
  const initialY = units.length > 1 && (units[0] === 'y' || units[0] === 'i') && ['a', 'o', 'u', 'e'].includes(units[1]!);
  const out: string[] = [];
  units.forEach((unit, index) => {
    const folded = index === 0 && initialY ? 'y' : VOWELS.has(unit) ? 'a' : unit;
    if (out[out.length - 1] !== folded) out.push(folded);
  });
  if (out.length > 2 && out[out.length - 1] === 'h' && out[out.length - 2] === 'a') out.pop();
  return out.join('');
}

/** The canonical Latin skeleton of a name in any script: lowercase ASCII, words separated by one space. */
export function foldName(text: string): string {
  return spellWords(text).map(foldWord).filter(Boolean).join(' ');
}

/** A word's consonants only: how a name written in Arabic script (short vowels unwritten) compares. */
export function consonantKey(spelt: string): string {
  const folded = foldWord(spelt);
  // A final h is often the Arabic ta marbuta or a silent he (عبدالله, Abdulla).
  return folded.replace(/^y/, '').replace(/[aeiouyv]/g, '').replace(/(.)h$/, '$1') || folded;
}

/** Whether a word is written in Arabic script (its vowels are mostly not written). */
export function isArabicScript(text: string): boolean {
  return ARABIC_SCRIPT.test(text);
}

/** Double Metaphone keys of each word of a name (primary and alternate, deduplicated). */
export function phoneticKeys(text: string): string[] {
  const keys = spellWords(text).flatMap((word) => doubleMetaphone(word));
  return [...new Set(keys.filter(Boolean))];
}

/** A name part's words, each as spelt, folded and keyed: what search looks words up by. */
export interface NameWord {
  spelt: string;
  folded: string;
  consonants: string;
  /** Written in Arabic script: compared by consonants. */
  abjad: boolean;
  keys: string[];
}

/** The words of a name, plus each multi-word part written as one word (Abdul Aziz, Abdulaziz). */
export function nameWords(...parts: (string | null | undefined)[]): NameWord[] {
  const seen = new Map<string, NameWord>();
  for (const part of parts) {
    if (!part) continue;
    const words = spellWords(part);
    const abjad = isArabicScript(part);
    for (const spelt of words.length > 1 ? [...words, words.join('')] : words) {
      if (seen.has(spelt)) continue;
      seen.set(spelt, { spelt, folded: foldWord(spelt), consonants: consonantKey(spelt), abjad, keys: [...new Set(doubleMetaphone(spelt))].filter(Boolean) });
    }
  }
  return [...seen.values()];
}

/** What `people` stores of a name for search and duplicate checks (migration 0012). */
export interface FoldedPerson {
  givenFolded: string;
  familyFolded: string;
  patronymicFolded: string | null;
  /** Every word as spelt in Latin letters (the vocabulary's keys). */
  words: string[];
  vocabulary: NameWord[];
}

export function foldPerson(person: { givenName: string; familyName: string; patronymic?: string | null }): FoldedPerson {
  const vocabulary = nameWords(person.givenName, person.familyName, person.patronymic);
  return {
    givenFolded: foldName(person.givenName),
    familyFolded: foldName(person.familyName),
    patronymicFolded: person.patronymic ? foldName(person.patronymic) || null : null,
    words: vocabulary.map((word) => word.spelt),
    vocabulary,
  };
}
