/**
 * A keyset page read with `limit + 1` rows: the rows to show, and the last of them when another
 * page follows (its sort key is where the next page starts).
 */
export function pageOf<T>(rows: T[], limit: number): { page: T[]; last?: T } {
  const page = rows.slice(0, limit);
  return rows.length > limit ? { page, last: page.at(-1) } : { page };
}
