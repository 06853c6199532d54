import chardet from 'chardet';
import iconv from 'iconv-lite';

/**
 * The text of a file as people save it: UTF-8 (with or without a byte-order mark), UTF-16 (as
 * Excel's "Unicode text"), Windows-1251 (what Russian Excel saves as CSV) or KOI8-R. A file that
 * is not text, or not in one of these, is refused with what to do about it.
 */

export type FileEncoding = 'UTF-8' | 'UTF-16LE' | 'UTF-16BE' | 'windows-1251' | 'KOI8-R';

/** What kind of file was refused: `spreadsheet`, `document`, `image`, `empty` or `not-text`. */
export type Unreadable = 'spreadsheet' | 'document' | 'image' | 'empty' | 'not-text';

export type FileText = { encoding: FileEncoding; text: string } | { refused: Unreadable; message: string };

const SAVE_AS = 'Save it from the spreadsheet as CSV (CSV UTF-8, or CSV in Windows-1251) and send that file.';

/** Files people pick by mistake, known by their first bytes. */
const SIGNATURES: [number[], Unreadable, string][] = [
  [[0x50, 0x4b, 0x03, 0x04], 'spreadsheet', 'an Excel workbook (.xlsx) or another zip archive'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'spreadsheet', 'an Excel 97-2003 workbook (.xls) or another Office document'],
  [[0x25, 0x50, 0x44, 0x46], 'document', 'a PDF document'],
  [[0x89, 0x50, 0x4e, 0x47], 'image', 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'image', 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'image', 'a GIF image'],
];

/** Control characters text does not hold (tab and line breaks it does). */
const NOT_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((byte, index) => bytes[index] === byte);

/** UTF-16 without a byte-order mark: in CSV text nearly every character is Latin or Cyrillic, so one byte of each pair is 0x00 or 0x04. */
function utf16Without(bytes: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | undefined {
  if (bytes.length < 4 || bytes.length % 2) return undefined;
  const sample = bytes.subarray(0, 4096);
  const share = (offset: number, test: (b: number) => boolean) => {
    let count = 0;
    for (let i = offset; i < sample.length; i += 2) if (test(sample[i]!)) count += 1;
    return count / (sample.length / 2);
  };
  const high = (b: number) => b === 0x00 || b === 0x04;
  if (share(1, high) > 0.95 && share(1, (b) => b === 0) > 0.2 && share(0, (b) => b === 0) < 0.05) return 'UTF-16LE';
  if (share(0, high) > 0.95 && share(0, (b) => b === 0) > 0.2 && share(1, (b) => b === 0) < 0.05) return 'UTF-16BE';
  return undefined;
}

/** Russian letters from the most to the least frequent, with their frequency in percent. */
const LETTERS = 'оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё';
const FREQUENCY = [10.97, 8.45, 8.01, 7.35, 6.7, 6.26, 5.47, 4.73, 4.54, 4.4, 3.49, 3.21, 2.98, 2.81, 2.62, 2.01, 1.9, 1.74, 1.7, 1.65, 1.59, 1.44, 1.21, 0.97, 0.94, 0.73, 0.64, 0.48, 0.36, 0.32, 0.26, 0.04, 0.04];

/**
 * How much a decoding reads as Russian names. The wrong one of the two Cyrillic code pages swaps
 * capitals and small letters ("аБДУЛЛАЕВ") and turns frequent letters into rare ones, so words
 * written as names (capital first, or all capitals) and the letters' frequencies both count.
 */
function readsAsNames(text: string): number {
  let score = 0;
  for (const word of text.match(/[\u0400-\u04FF]{2,}/g) ?? []) {
    if (/^[А-ЯЁ][а-яё]+$/.test(word)) score += 2;
    else if (/^[А-ЯЁ]+$/.test(word)) score += 1;
    else if (/^[а-яё][А-ЯЁ]+$/.test(word)) score -= 2;
  }
  for (const letter of text.toLowerCase().match(/[а-яё]/g) ?? []) score += Math.log(FREQUENCY[LETTERS.indexOf(letter)]!);
  return score;
}

/**
 * Windows-1251 or KOI8-R. The detector's letter statistics want more text than a list of names
 * gives and often rate both alike, so its confidence is one part of the choice, with how the
 * names read in each.
 */
function cyrillicCodePage(bytes: Uint8Array): 'windows-1251' | 'KOI8-R' {
  // A sample is enough for letter statistics, and a file of 500 people reads quickly.
  const sample = Buffer.from(bytes.subarray(0, 64 * 1024));
  const matches = chardet.analyse(sample);
  const score = (encoding: 'windows-1251' | 'KOI8-R') =>
    readsAsNames(iconv.decode(sample, encoding)) + (matches.find((match) => match.name === encoding)?.confidence ?? 0) / 5;
  // On a tie, what Russian Excel saves.
  return score('KOI8-R') > score('windows-1251') ? 'KOI8-R' : 'windows-1251';
}

function encodingOf(bytes: Uint8Array): FileEncoding | undefined {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return 'UTF-8';
  if (startsWith(bytes, [0xff, 0xfe, 0x00, 0x00]) || startsWith(bytes, [0x00, 0x00, 0xfe, 0xff])) return undefined;
  if (startsWith(bytes, [0xff, 0xfe])) return 'UTF-16LE';
  if (startsWith(bytes, [0xfe, 0xff])) return 'UTF-16BE';
  // chardet knows UTF-16 by its byte-order mark only: without one, by where the zero bytes are.
  const without = utf16Without(bytes);
  if (without) return without;
  if (bytes.includes(0)) return undefined;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'UTF-8';
  } catch {
    // Not UTF-8: one byte a character. The code pages of Cyrillic people save in are read; others are not guessed at.
  }
  return /[\u0400-\u04FF]{2}/.test(iconv.decode(Buffer.from(bytes), 'windows-1251')) ? cyrillicCodePage(bytes) : undefined;
}

/** The file's text and the encoding it was read in, or why it cannot be read. */
export function fileText(bytes: Uint8Array): FileText {
  if (bytes.length === 0) return { refused: 'empty', message: `The file is empty. ${SAVE_AS}` };
  const known = SIGNATURES.find(([prefix]) => startsWith(bytes, prefix));
  if (known) return { refused: known[1], message: `The file is ${known[2]}, not a CSV file. ${SAVE_AS}` };
  const encoding = encodingOf(bytes);
  const text = encoding ? iconv.decode(Buffer.from(bytes), encoding).replace(/^\uFEFF/, '') : undefined;
  if (text === undefined || NOT_TEXT.test(text)) {
    return { refused: 'not-text', message: `The file is not text in an encoding this service reads (UTF-8, UTF-16, Windows-1251 or KOI8-R). ${SAVE_AS}` };
  }
  return { encoding, text } as FileText;
}
