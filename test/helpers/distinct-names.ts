import { createHash, randomBytes } from 'node:crypto';

/** Consonants that names fold apart (src/domain/names.ts), each with one vowel: 16 syllables, 4 bits each. */
const SYLLABLES = ['ba', 'da', 'ka', 'la', 'ma', 'na', 'ra', 'sa', 'ta', 'za', 'ga', 'ha', 'ja', 'pa', 'va', 'fa'];

/** Different for each run of the process: two runs against one database do not meet either. */
const SALT = randomBytes(8).toString('hex');

/**
 * A second family name for generated people, the same for the same key within a run: families
 * generated in bulk (the bench, the production shape's caseload) are otherwise the same few names
 * and birthdays again, which the duplicate check rightly takes for the same people.
 */
export function distinctSurname(key: string): string {
  const bytes = createHash('sha256').update(`${SALT}:${key}`).digest();
  const word = Array.from({ length: 5 }, (_, i) => SYLLABLES[(bytes[i]! >> 4) & 15]! + (i % 2 ? SYLLABLES[bytes[i]! & 15]!.slice(0, 1) : '')).join('');
  return word.charAt(0).toUpperCase() + word.slice(1);
}
