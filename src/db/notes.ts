import type { Queryable } from './pool.js';

/**
 * A free-text note sent with an action. Notes may name people, so they stay in PostgreSQL and
 * never travel to Temporal; the history joins them to their action.
 * Returns false when a note for this action already existed (a retried request).
 */
export async function insertNote(db: Queryable, note: { pathwayId: string; actionId: string; authorId: string; text: string }): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into action_notes (pathway_id, action_id, author_id, text) values ($1, $2, $3, $4)
     on conflict (pathway_id, action_id) do nothing`,
    [note.pathwayId, note.actionId, note.authorId, note.text],
  );
  return rowCount === 1;
}

export async function deleteNote(db: Queryable, pathwayId: string, actionId: string): Promise<void> {
  await db.query('delete from action_notes where pathway_id = $1 and action_id = $2', [pathwayId, actionId]);
}
