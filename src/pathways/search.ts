import { doubleMetaphone } from 'double-metaphone';
import { z } from 'zod';
import type { Config } from '../../config/index.js';
import { recordListAccess } from '../db/access-log.js';
import { MATCH_KINDS, recordSearch, searchPeople, type FoundPerson, type MatchKind, type QueryWord } from '../db/person-search.js';
import { inTransaction, type Pool } from '../db/pool.js';
import type { Actor, PathwayStatus, Programme, StageName } from '../domain/model.js';
import { consonantKey, foldWord, isArabicScript, nameWords, spellWords } from '../domain/names.js';
import { shownPerson, type ShownPerson } from '../domain/person-shown.js';
import { validationError } from '../errors.js';
import { isOversight } from './access.js';
import { decodeCursor, encodeCursor } from './cursor.js';

export interface SearchQuery {
  q?: string;
  familyGroup?: string;
  birthYear?: number;
  operation?: string;
  limit: number;
  cursor?: string;
}

export type MatchedField = 'id' | 'givenName' | 'familyName' | 'patronymic' | 'familyGroup' | 'birthYear' | 'operation';

export interface Found {
  pathwayId: string;
  person: ShownPerson;
  programme: Programme;
  operation: string;
  phase: string | null;
  arrivalDate: string;
  familyGroupId: string | null;
  status: PathwayStatus;
  currentStage: StageName;
  why: { field: MatchedField; how: MatchKind }[];
}

/** A word's phonetic keys long enough to say something (Farhod and Farida share FRT). */
const soundKeys = (spelt: string) => [...new Set(doubleMetaphone(spelt))].filter((key) => key.length >= 4);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_WORDS = 6;

/** Wrong letters tolerated in a folded word: none in the shortest, one, then two in long ones. */
export function toleratedDistance(folded: string): number {
  return folded.length >= 7 ? 2 : folded.length >= 4 ? 1 : 0;
}

/** The query's words as search compares them; a 400 when it holds no letter. */
function queryWords(q: string): QueryWord[] {
  const words = new Map<string, QueryWord>();
  for (const token of q.split(/\s+/)) {
    const abjad = isArabicScript(token);
    for (const spelt of spellWords(token)) {
      const folded = foldWord(spelt);
      if (folded && !words.has(spelt)) {
        words.set(spelt, { spelt, folded, consonants: consonantKey(spelt), abjad, keys: soundKeys(spelt), distance: toleratedDistance(folded) });
      }
    }
  }
  if (!words.size) throw validationError([{ path: 'querystring.q', message: 'must contain letters of a name, or be a pathway id', code: 'search-needs-letters' }]);
  if (words.size > MAX_WORDS) throw validationError([{ path: 'querystring.q', message: `must have at most ${MAX_WORDS} words`, code: 'too-many-words', params: { max: MAX_WORDS } }]);
  return [...words.values()];
}

const lettersOf = (text: string) => text.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{M}]+/u).filter(Boolean);

/** Which part of the name a matched word belongs to, and whether it is written there exactly as asked. */
function fieldOf(row: FoundPerson, spelt: string, asked: Set<string>): { field: MatchedField; asWritten: boolean } {
  const parts: [MatchedField, string | null][] = [['familyName', row.family_name], ['givenName', row.given_name], ['patronymic', row.patronymic]];
  const [field, value] = parts.find(([, text]) => text && nameWords(text).some((word) => word.spelt === spelt)) ?? ['givenName', null];
  const written = value ? lettersOf(value) : [];
  return { field, asWritten: written.some((word) => asked.has(word)) };
}

function why(row: FoundPerson, query: SearchQuery, byId: boolean): Found['why'] {
  const reasons: Found['why'] = [];
  if (byId) reasons.push({ field: 'id', how: 'exact' });
  const asked = new Set(lettersOf(query.q ?? ''));
  for (const match of row.matches ?? []) {
    const { field, asWritten } = fieldOf(row, match.spelt, asked);
    // Spelt alike in Latin letters but written otherwise (Айша, Aysha) is another spelling, not the same one.
    const how = MATCH_KINDS[match.how];
    reasons.push({ field, how: how === 'exact' && !asWritten ? 'variant' : how });
  }
  if (query.familyGroup) reasons.push({ field: 'familyGroup', how: 'exact' });
  if (query.birthYear) reasons.push({ field: 'birthYear', how: 'exact' });
  if (query.operation) reasons.push({ field: 'operation', how: 'exact' });
  return reasons;
}

const Offset = z.tuple([z.number().int().min(0).max(10_000)]);

/**
 * People this person may see (their organisation's, or everyone's for oversight) by name in any
 * script, id, family group, birth year or operation; best matches first. Every pathway shown is in
 * its access log ('search') and the search itself in person_searches, without the query.
 */
export async function findPeople(deps: { pool: Pool; config: Config }, actor: Actor, query: SearchQuery, requestId: string) {
  const q = query.q?.trim();
  if (!q && !query.familyGroup && query.birthYear === undefined && !query.operation) {
    throw validationError([{ path: 'querystring.q', message: 'is required unless familyGroup, birthYear or operation is given', code: 'search-needs-criteria' }]);
  }
  const byId = !!q && UUID.test(q);
  const words = q && !byId ? queryWords(q) : [];
  const offset = query.cursor === undefined ? 0 : decodeCursor(query.cursor, Offset)[0];
  const oversight = isOversight(actor, deps.config);
  const rows = await searchPeople(deps.pool, {
    words,
    fullName: words.length ? words.map((word) => word.folded).sort().join(' ') : null,
    pathwayId: byId ? q!.toLowerCase() : null,
    familyGroupId: query.familyGroup ?? null,
    birthYear: query.birthYear ?? null,
    operation: query.operation ?? null,
    organisation: oversight ? null : actor.org,
    offset,
    limit: query.limit + 1,
  });
  // For oversight, `organisation` is null above; the row still says whether it is the caller's own.
  const page = rows.slice(0, query.limit);
  const today = new Date().toISOString().slice(0, 10);
  const filters = Object.entries({ q, familyGroup: query.familyGroup, birthYear: query.birthYear, operation: query.operation })
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([name]) => name);
  await inTransaction(deps.pool, async (db) => {
    await recordListAccess(db, {
      pathways: page.map((row) => ({ id: row.id, via: row.in_organisation ? 'organisation' : 'oversight' })),
      actor, what: 'search', requestId,
    });
    await recordSearch(db, { actor, requestId, filters, results: page.length });
  });
  const items: Found[] = page.map((row) => ({
    pathwayId: row.id,
    person: shownPerson(row, { today }),
    programme: row.programme as Programme,
    operation: row.operation,
    phase: row.phase,
    arrivalDate: row.arrival_date,
    familyGroupId: row.family_group_id,
    status: row.status as PathwayStatus,
    currentStage: row.current_stage as StageName,
    why: why(row, query, byId),
  }));
  return { items, nextCursor: rows.length > query.limit ? encodeCursor([offset + query.limit]) : null };
}
