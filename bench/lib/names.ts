/**
 * Names as the field writes them, for the search phase: each name in the spellings agencies use
 * (Cyrillic first, then Latin variants). People are drawn from these with a seeded generator.
 */
export const FEMALE: string[][] = [
  ['Айша', 'Aisha', 'Aysha', 'Oysha'], ['Малика', 'Malika'], ['Фатима', 'Fatima', 'Fotima'], ['Зарина', 'Zarina'], ['Дилноза', 'Dilnoza'],
  ['Нилуфар', 'Nilufar', 'Nilufer'], ['Гульнора', 'Gulnora', 'Gulnara'], ['Шахноза', 'Shakhnoza', 'Shaxnoza', 'Shahnoza'], ['Мадина', 'Madina'],
  ['Алия', 'Aliya', 'Aliia'], ['Алина', 'Alina'], ['Елена', 'Elena', 'Yelena'], ['Жанна', 'Zhanna'], ['Сабина', 'Sabina'], ['Камила', 'Kamila'],
  ['Лола', 'Lola'], ['Мохира', 'Mokhira', 'Mohira'], ['Умида', 'Umida'], ['Феруза', 'Feruza'], ['Хадича', 'Khadicha', 'Xadicha', 'Hadicha'],
  ['Мунира', 'Munira'], ['Севара', 'Sevara'], ['Дильфуза', 'Dilfuza'], ['Айгерим', 'Aigerim', 'Aygerim'], ['Асель', 'Asel'], ['Гульмира', 'Gulmira'],
  ['Динара', 'Dinara'], ['Назира', 'Nazira'], ['Робия', 'Robiya', 'Rabiya'], ['Зухра', 'Zukhra', 'Zuhra', 'Zuxra'],
];
export const MALE: string[][] = [
  ['Мухаммад', 'Muhammad', 'Mohammed', 'Muhammed', 'Mukhammad'], ['Абдулла', 'Abdulla', 'Abdullah'], ['Рустам', 'Rustam'], ['Тимур', 'Timur'],
  ['Джамшид', 'Jamshid', 'Dzhamshid'], ['Хуршид', 'Khurshid', 'Xurshid'], ['Бахтиёр', 'Bakhtiyor', 'Baxtiyor'], ['Шерзод', 'Sherzod'], ['Азамат', 'Azamat'],
  ['Ибрагим', 'Ibragim', 'Ibrahim'], ['Юсуф', 'Yusuf', 'Yusup'], ['Али', 'Ali'], ['Хасан', 'Khasan', 'Hasan', 'Xasan'], ['Хусейн', 'Husein', 'Husain'],
  ['Бобур', 'Bobur', 'Babur'], ['Нодир', 'Nodir'], ['Фаррух', 'Farrukh', 'Farrux'], ['Санжар', 'Sanjar', 'Sanzhar'], ['Улугбек', 'Ulugbek', 'Ulughbek'],
  ['Дмитрий', 'Dmitriy', 'Dmitry'], ['Александр', 'Aleksandr', 'Alexander'], ['Ерлан', 'Yerlan', 'Erlan'], ['Нурлан', 'Nurlan'], ['Арман', 'Arman'],
  ['Даурен', 'Dauren'], ['Акмал', 'Akmal'], ['Жасур', 'Jasur', 'Zhasur'], ['Отабек', 'Otabek'], ['Шохрух', 'Shokhrukh', 'Shohruh'], ['Анвар', 'Anvar'],
];
/** Roots of family names, each in Cyrillic and its Latin spellings; a family name is a root and a suffix. */
const ROOTS: string[][] = [
  ['Абдулла', 'Abdulla'], ['Рахим', 'Rakhim', 'Rahim'], ['Карим', 'Karim'], ['Юсуп', 'Yusup', 'Iusup'], ['Турсун', 'Tursun'], ['Саид', 'Said'],
  ['Нур', 'Nur'], ['Ахмед', 'Akhmed', 'Ahmed'], ['Хасан', 'Khasan', 'Hasan'], ['Исма', 'Isma'], ['Назар', 'Nazar'], ['Усмон', 'Usmon', 'Usman'],
  ['Шарип', 'Sharip', 'Sharif'], ['Кодир', 'Kodir', 'Qodir'], ['Гулом', 'Gulom', "G'ulom"], ['Мирза', 'Mirza'], ['Рашид', 'Rashid'], ['Олим', 'Olim'],
  ['Латип', 'Latip', 'Latif'], ['Султан', 'Sultan'], ['Исла', 'Isla'], ['Ибрагим', 'Ibragim', 'Ibrahim'], ['Сейтказ', 'Seitkaz', 'Seytkaz'],
  ['Бек', 'Bek'], ['Жума', 'Zhuma', 'Juma'], ['Эргаш', 'Ergash'], ['Холмат', 'Kholmat', 'Xolmat'], ['Тошпулат', 'Toshpulat'], ['Умар', 'Umar'],
  ['Зокир', 'Zokir', 'Zakir'], ['Сафар', 'Safar'], ['Мамат', 'Mamat'], ['Алим', 'Alim'], ['Бакир', 'Bakir'], ['Давлат', 'Davlat'], ['Файзулла', 'Fayzulla', 'Faizulla'],
  ['Хамид', 'Khamid', 'Hamid'], ['Джура', 'Dzhura', 'Jura'], ['Норбо', 'Norbo'], ['Пулат', 'Pulat'], ['Рузи', 'Ruzi'], ['Собир', 'Sobir', 'Sabir'],
  ['Тохир', 'Tokhir', 'Tohir'], ['Валий', 'Valiy', 'Vali'], ['Шукур', 'Shukur'], ['Якуб', 'Yakub', 'Iakub'], ['Зайнулла', 'Zaynulla'], ['Кулмат', 'Kulmat'],
];
const SUFFIXES: [string, string[]][] = [['ов', ['ov']], ['ев', ['ev', 'yev']], ['жанов', ['zhanov', 'janov']], ['бекович', ['bekovich']], ['улы', ['uly']]];
const FEMININE: Record<string, [string, string[]]> = { ов: ['ова', ['ova']], ев: ['ева', ['eva', 'yeva']], жанов: ['жанова', ['zhanova', 'janova']] };

/** A small seeded generator (mulberry32): the same people on every run. */
export function seeded(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

export interface GeneratedPerson {
  sex: 'female' | 'male';
  /** Each name as its spellings: [0] is the one stored. */
  given: string[];
  family: string[];
  stored: { givenName: string; familyName: string };
}

const CYRILLIC = 'абвгдежзиклмнопрстуфхшя';
const LATIN = 'abdefgijklmnoprstuvxyz';

/** One letter changed, as a tired hand or a bad scan does it. */
export function misspelt(word: string, random: ReturnType<typeof seeded>): string {
  const at = 1 + Math.floor(random.next() * (word.length - 1));
  const letters = /[а-яё]/i.test(word) ? CYRILLIC : LATIN;
  return word.slice(0, at) + random.pick([...letters]) + word.slice(at + 1);
}

/** A person written in one of the spellings of their names; one in thirty with a letter wrong. */
export function generatePerson(random: ReturnType<typeof seeded>): GeneratedPerson {
  const sex = random.next() < 0.55 ? 'female' : 'male';
  const given = random.pick(sex === 'female' ? FEMALE : MALE);
  const root = random.pick(ROOTS);
  let [suffix, latinSuffixes] = random.pick(SUFFIXES);
  if (sex === 'female' && FEMININE[suffix]) [suffix, latinSuffixes] = FEMININE[suffix]!;
  const family = [`${root[0]}${suffix}`, ...root.slice(1).flatMap((r) => latinSuffixes.map((s) => `${r}${s}`))];
  const script = random.next() < 0.5 ? 0 : 1 + Math.floor(random.next() * (family.length - 1));
  const givenStored = given[Math.min(script, given.length - 1)]!;
  let familyStored = family[script]!;
  if (random.next() < 1 / 30) familyStored = misspelt(familyStored, random);
  return { sex, given, family, stored: { givenName: givenStored, familyName: familyStored } };
}
