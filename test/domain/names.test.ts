import { describe, expect, it } from 'vitest';
import { consonantKey, foldName, foldPerson, phoneticKeys, spellName } from '../../src/domain/names.js';

describe('folding names across scripts', () => {
  it.each([
    [['Айша', 'Aisha', 'Aysha', 'Oysha'], 'asha'],
    [['Мухаммад', 'Muhammad', 'Mohammed', 'Muhammed', 'Mukhammad'], 'mahamad'],
    [['Абдуллаев', 'Abdullayev', 'Abdullaev'], 'abdalav'],
    [['Юсупов', 'Yusupov', 'Iusupov'], 'yasapav'],
    [['Ўринбоев', "O'rinboyev", 'Oʻrinboyev', 'Urinboev'], 'aranbav'],
    [['Қодиров', 'Qodirov', 'Kodirov'], 'kadarav'],
    [['Джамшид', 'Jamshid', 'Dzhamshid', 'Djamshid'], 'jamshad'],
    [['Дмитрий', 'Dmitriy', 'Dmitrii', 'Dmitry'], 'dmatra'],
    [['Елена', 'Yelena', 'Elena'], 'alana'],
    [['Әлия', 'Алия', 'Aliya'], 'ala'],
  ])('%j fold to %s', (spellings, folded) => {
    for (const spelling of spellings) expect(foldName(spelling)).toBe(folded);
  });

  it('keeps different names apart', () => {
    expect(foldName('Алия')).not.toBe(foldName('Алина'));
    expect(foldName('Abdullaev')).not.toBe(foldName('Abdulaziz'));
  });

  it('gives lowercase ASCII words separated by one space', () => {
    expect(foldName('  Abdul-Aziz   Müller ')).toBe('abdal azaz malar');
    expect(spellName('Ҳасан ЎҒЛИ')).toBe('hasan ugli');
  });

  it('compares a name written in Arabic script by its consonants', () => {
    expect(consonantKey(spellName('محمد'))).toBe(consonantKey('muhammad'));
    expect(consonantKey(spellName('عبدالله'))).toBe(consonantKey('abdulla'));
  });

  it('gives phonetic keys per word and the folds a person is stored with', () => {
    expect(phoneticKeys('Aleksandr Alexander')).toEqual(['ALKSNTR']);
    const folded = foldPerson({ givenName: 'Абдул Азиз', familyName: 'Юсупов' });
    expect(folded).toMatchObject({ givenFolded: 'abdal azaz', familyFolded: 'yasapav', patronymicFolded: null });
    expect(folded.words).toEqual(['abdul', 'aziz', 'abdulaziz', 'yusupov']);
  });
});
