/**
 * Names as agencies spell them, and what search must make of them: the table both the API test
 * (test/api/people-search.test.ts) and the console's search box test drive.
 *
 * - `found`: the person stored as `stored` is among the results for `query`, matched as `how`.
 * - `not-found`: a different person: the one stored as `stored` is not among the results at all.
 * - `ranked-below`: different people whose names fold alike or lie a letter or two apart (the
 *   tolerance search promises cannot tell them apart): the person stored as `rival`, spelt as the
 *   query, comes first; `stored` may follow, never as an exact match.
 */
export type MatchKind = 'exact' | 'variant' | 'partial' | 'similar';

export interface StoredName {
  givenName: string;
  familyName: string;
}

export type NamePair =
  | { stored: StoredName; query: string; expect: 'found'; how: MatchKind; note: string }
  | { stored: StoredName; query: string; expect: 'not-found'; note: string }
  | { stored: StoredName; rival: StoredName; query: string; expect: 'ranked-below'; note: string };

const found = (givenName: string, familyName: string, query: string, how: MatchKind, note: string): NamePair => ({
  stored: { givenName, familyName }, query, expect: 'found', how, note,
});
const notFound = (givenName: string, familyName: string, query: string, note: string): NamePair => ({
  stored: { givenName, familyName }, query, expect: 'not-found', note,
});
const below = (stored: StoredName, rival: StoredName, query: string, note: string): NamePair => ({ stored, rival, query, expect: 'ranked-below', note });

export const NAME_PAIRS: NamePair[] = [
  // The spellings of the issue: Cyrillic, Latin, Arabic-transliterated.
  found('Айша', 'Каримова', 'Aisha', 'variant', 'Cyrillic stored, Latin searched'),
  found('Aisha', 'Karimova', 'Айша', 'variant', 'Latin stored, Cyrillic searched'),
  found('Aysha', 'Nurova', 'Oysha', 'variant', 'Uzbek Latin o for a'),
  found('Oysha', 'Saidova', 'Aisha', 'variant', 'English spelling of an Uzbek one'),
  found('Мухаммад', 'Рахимов', 'Muhammad', 'variant', 'Cyrillic stored'),
  found('Muhammad', 'Rakhimov', 'Mohammed', 'variant', 'Arabic name, two transliterations'),
  found('Mohammed', 'Hasanov', 'Мухаммад', 'variant', 'Latin stored, Cyrillic searched'),
  found('Muhammed', 'Yusupov', 'Muhammad', 'variant', 'Turkish-style spelling'),
  found('Mukhammad', 'Tursunov', 'Muhammad', 'variant', 'Russian passport kh'),
  found('Рустам', 'Абдуллаев', 'Abdullayev', 'variant', 'Uzbek -yev'),
  found('Rustam', 'Abdullayev', 'Abdullaev', 'variant', 'with and without y'),
  found('Bakhtiyor', 'Abdullaev', 'Абдуллаев', 'variant', 'Latin stored, Cyrillic searched'),
  found('Малика', 'Юсупова', 'Iusupova', 'variant', 'ICAO passport spelling of Ю'),
  found('Timur', 'Юсупов', 'Yusupov', 'variant', 'Cyrillic family name'),
  found('Anvar', 'Ўринбоев', "O'rinboyev", 'variant', 'Uzbek Cyrillic ў and Latin oʻ'),
  found('Nodir', 'Қодиров', 'Qodirov', 'variant', 'Uzbek Cyrillic қ and Latin q'),
  found('Sherzod', 'Kodirov', 'Қодиров', 'variant', 'k for қ'),
  found('Bobur', 'Ғуломов', "G'ulomov", 'variant', 'Uzbek ғ and gʻ'),
  found('Джамшид', 'Ахмедов', 'Jamshid', 'variant', 'dzh and j'),
  found('Dzhamshid', 'Akhmedov', 'Djamshid', 'variant', 'dzh and dj'),
  found('Хуршид', 'Назаров', 'Xurshid', 'variant', 'Uzbek Latin x for х'),
  found('Khurshid', 'Nazarov', 'Хуршид', 'variant', 'kh for х'),
  found('Дмитрий', 'Орлов', 'Dmitry', 'variant', 'Russian -ий'),
  found('Елена', 'Ким', 'Yelena', 'variant', 'initial ye'),
  found('Фатима', 'Латипова', 'Fotima', 'variant', 'Uzbek o for a'),
  found('Fatima', 'Latipova', 'فاطمة', 'variant', 'Arabic script searched'),
  found('Muhammad', 'Sharipov', 'محمد', 'variant', 'Arabic script: consonants only'),
  found('Hasan', 'Olimov', 'حسن', 'variant', 'Arabic script'),
  found('Ёдгор', 'Каримов', 'Yodgor', 'variant', 'ё as yo'),
  found('Шахноза', 'Ахмедова', 'Shaxnoza', 'variant', 'Uzbek Latin x'),
  found('Abdullah', 'Rahmonov', 'Abdulla', 'variant', 'final h'),
  found('Әлия', 'Сейткали', 'Aliya', 'variant', 'Kazakh ә'),
  found('Жанна', 'Бекова', 'Zhanna', 'variant', 'zh'),
  found('Abdul Aziz', 'Mirzaev', 'Abdulaziz', 'variant', 'written as two words or one'),
  found('Aisha', 'Abdullaeva', 'Aysha Abdullayeva', 'variant', 'full name, both words variants'),
  found('Мухаммад', 'Abdullaev', 'Muhammad Абдуллаев', 'variant', 'a query in two scripts'),
  found('Aleksandr', 'Petrov', 'Alexander', 'variant', 'x and ks sound alike'),
  found('Гульнора', 'Рахимова', 'Rakhinova', 'similar', 'one wrong letter (m typed n)'),
  found('Sardor', 'Abdullayev', 'Abdurlayef', 'similar', 'two wrong letters'),
  found('Nilufar', 'Karimova', 'Nilupar', 'similar', 'one wrong letter'),
  found('Aisha', 'Tursunova', 'Aisja', 'similar', 'one wrong letter in a short name'),
  found('Ибрагим', 'Султанов', 'Ibrahim', 'similar', 'Russian г for Arabic h: two letters'),
  found('Azamat', 'Abdullaev', 'Abdul', 'partial', 'the beginning of a name'),
  found('Salim', 'Рахимов', 'Рахим', 'partial', 'the beginning of a Cyrillic name'),
  // Different people.
  notFound('Алина', 'Исаева', 'Алия', 'Aliya is not Alina'),
  notFound('Алия', 'Исаева', 'Алина', 'Alina is not Aliya'),
  notFound('Jasur', 'Abdulaziz', 'Abdullaev', 'Abdullaev is not Abdulaziz'),
  notFound('Jasur', 'Abdullaev', 'Abdulaziz', 'Abdulaziz is not Abdullaev'),
  notFound('Madina', 'Usmonova', 'Malika', 'two letters apart in a short name'),
  notFound('Farida', 'Usmonova', 'Farhod', 'a woman’s and a man’s name'),
  notFound('Timur', 'Usmonov', 'Temirlan', 'one name is not the beginning of the other'),
  notFound('Zarina', 'Usmonova', 'Zamira', 'two letters apart'),
  notFound('Rustam', 'Usmonov', 'Rasul', 'different consonants'),
  notFound('Javlon', 'Usmonov', 'Jasur', 'different names'),
  notFound('Salim', 'Рахимов', 'Muhammad', 'two letters apart (mahamad, rahamav), the first of them too'),
  // Different people search cannot tell apart by spelling alone: the one spelt as asked comes first.
  below({ givenName: 'Elena', familyName: 'Popova' }, { givenName: 'Alina', familyName: 'Popova' }, 'Alina', 'vowels fold alike'),
  below({ givenName: 'Husain', familyName: 'Aliev' }, { givenName: 'Hasan', familyName: 'Aliev' }, 'Hasan', 'Hasan and Husain fold alike'),
  below({ givenName: 'Ali', familyName: 'Nabiev' }, { givenName: 'Aliya', familyName: 'Nabieva' }, 'Aliya', 'Ali and Aliya fold alike'),
  below({ givenName: 'Dilfuza', familyName: 'Rashidova' }, { givenName: 'Dilnoza', familyName: 'Rashidova' }, 'Dilnoza', 'one letter apart'),
];
