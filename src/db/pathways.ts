import { isUniqueViolation } from './errors.js';
import { isEstimated, parseBirthDate } from '../domain/birth-date.js';
import type { PersonRecord } from '../domain/open.js';
import type { PathwayInput } from '../domain/pathway.js';
import { writeFolds } from './name-folds.js';
import type { NameWord } from '../domain/names.js';
import { inTransaction, type Pool, type Queryable } from './pool.js';

/** Another request with the same Idempotency-Key wrote its pathways first. */
export class IdempotencyKeyTaken extends Error {
  override name = 'IdempotencyKeyTaken';
}

/** The pathway's own row and its organisations; false when a row with its id was there already (`ifAbsent`). */
async function insertPathwayRow(db: Queryable, input: PathwayInput, key: { idempotencyKey?: string; digest?: string } = {}, ifAbsent = false): Promise<boolean> {
  const { rowCount } = await db
    .query(
      `insert into pathways (id, programme, operation, phase, arrival_date, family_group_id, sex, age_band, is_child,
                             template_version, opened_by, opened_org, idempotency_key, idempotency_digest, transferred_from, arrived_with)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)${ifAbsent ? ' on conflict (id) do nothing' : ''}`,
      [
        input.pathwayId,
        input.programme,
        input.operation,
        input.phase ?? null,
        input.arrivalDate,
        input.familyGroupId ?? null,
        input.person.sex,
        input.person.ageBand,
        input.person.isChild,
        input.template.version,
        input.openedBy.id,
        input.openedBy.org,
        key.idempotencyKey ?? null,
        key.idempotencyKey ? key.digest : null,
        input.transferredFrom ?? null,
        input.person.arrivedWith,
      ],
    )
    .catch((error: unknown) => {
      throw isUniqueViolation(error, 'pathways_idempotency_key_key') ? new IdempotencyKeyTaken() : error;
    });
  if (!rowCount) return false;
  for (const organisation of input.organisations) {
    await db.query('insert into pathway_organisations (pathway_id, organisation) values ($1, $2)', [input.pathwayId, organisation]);
  }
  return true;
}

/** Writes a new pathway's row, its organisation and the person's record; answers the name's words for the vocabulary (addToVocabulary). */
export async function insertPathway(
  db: Queryable,
  row: { input: PathwayInput; person: PersonRecord; idempotencyKey?: string; digest: string },
): Promise<NameWord[]> {
  const { input, person } = row;
  const birth = parseBirthDate(person.birthDate, input.arrivalDate);
  await insertPathwayRow(db, input, row);
  await db.query(
    `insert into people (pathway_id, given_name, family_name, patronymic, birth_date, birth_date_precision, birth_date_estimated)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [input.pathwayId, person.givenName, person.familyName, person.patronymic ?? null, birth.date, birth.precision,
      isEstimated(person.birthDateEstimated, birth.precision)],
  );
  return writeFolds(db, input.pathwayId, person);
}

/**
 * The row of a pathway a transfer opened, written by its own workflow before anything else, with
 * the person's record copied from the pathway it continues: the record never passes through
 * Temporal. Once only: a retry finds the row and writes nothing.
 */
export async function insertTransferredPathway(pool: Pool, input: PathwayInput & { transferredFrom: string }): Promise<void> {
  await inTransaction(pool, async (db) => {
    if (!(await insertPathwayRow(db, input, {}, true))) return;
    const { rowCount } = await db.query(
      `insert into people (pathway_id, given_name, family_name, patronymic, birth_date, birth_date_precision, birth_date_estimated,
                           name_hidden, given_folded, family_folded, patronymic_folded, name_words, fold_version)
       select $1, given_name, family_name, patronymic, birth_date, birth_date_precision, birth_date_estimated,
              name_hidden, given_folded, family_folded, patronymic_folded, name_words, fold_version
         from people where pathway_id = $2`,
      [input.pathwayId, input.transferredFrom],
    );
    if (!rowCount) throw new Error(`pathway ${input.transferredFrom} has no person record to continue from`);
  });
}

/** Pathways opened earlier under these idempotency keys, in the keys' order, and whether oversight was told of each. */
export async function pathwaysByIdempotencyKeys(db: Queryable, keys: string[]) {
  const { rows } = await db.query<{ id: string; digest: string; oversightTold: boolean }>(
    `select p.id, p.idempotency_digest as digest, exists (select 1 from duplicate_alerts a where a.pathway_id = p.id) as "oversightTold"
       from unnest($1::text[]) with ordinality as k(key, position)
       join pathways p on p.idempotency_key = k.key
      order by k.position`,
    [keys],
  );
  return rows;
}

/** A pathway opened by the older transfer continues a hidden name as hidden. */
export async function copyHiddenName(db: Queryable, pathwayId: string, from: string): Promise<void> {
  await db.query('update people set name_hidden = (select name_hidden from people where pathway_id = $2) where pathway_id = $1', [pathwayId, from]);
}
