import fc from 'fast-check';
import iconv from 'iconv-lite';
import { hostileText } from './arbitraries.js';
import { authFor, build, weighted } from './request-parts.js';

const HEADER = 'familyGroupId;familyName;givenName;sex;birthDate;arrivedWith;hasIdentityDocument';
const ENCODINGS = ['utf-8', 'windows-1251', 'koi8-r', 'utf-16le', 'utf-16be'];
const SIGNATURES = ['504b0304', 'd0cf11e0', '25504446', '89504e47', 'ffd8ff', 'efbbbf', 'fffe', 'feff', 'fffe0000', ''];

/** A cohort file's text: rows of hostile or Cyrillic cells, quotes left open, ragged rows. */
const csvText = fc
  .array(fc.array(fc.oneof(hostileText(0, 30), fc.constantFrom('Абдуллаев', 'Айша', '31.02.2020', '12.03.2015', 'да', '"', '""', '"a;b', '\r', '\n')), { maxLength: 9 }), { maxLength: 6 })
  .map((rows) => `${HEADER}\r\n${rows.map((cells) => cells.join(';')).join('\r\n')}`);

/** The bytes of a file: the text in an encoding, after a known signature, or noise. */
const fileBytes = fc.oneof(
  weighted(4, fc.tuple(csvText, fc.constantFrom(...ENCODINGS), fc.boolean()).map(([text, encoding, bom]) => ({ tag: `file:${encoding}${bom ? '+bom' : ''}`, value: iconv.encode(text, encoding, { addBOM: bom }) }))),
  weighted(2, fc.tuple(fc.constantFrom(...SIGNATURES), fc.uint8Array({ maxLength: 300 })).map(([start, rest]) => ({ tag: `file:bytes-after-${start || 'nothing'}`, value: Buffer.concat([Buffer.from(start, 'hex'), rest]) }))),
  weighted(1, fc.constantFrom(Buffer.alloc(0), Buffer.alloc(2 * 1024 * 1024, 0x41), Buffer.from('{"people":[]}')).map((value) => ({ tag: `file:${value.length}-bytes`, value }))),
);

/** The request table's entry for reading a cohort's CSV file. */
export function fileRequests() {
  return [
    weighted(2, fc.tuple(authFor(['coordinator']), fileBytes, fc.constantFrom('text/csv', 'application/octet-stream', 'text/csv; charset=utf-8', 'application/json', 'text/plain', '')).map(([auth, file, contentType]) =>
      build('POST /v1/cohorts/csv', 'POST', '/v1/cohorts/csv', auth, { body: { body: file.value, contentType, tags: [file.tag, `content-type:${contentType}`] } }),
    )),
  ];
}
