import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { call, expectProblem, useApiStack } from '../helpers/api.js';
import { nameKey, openNamePairPeople } from '../helpers/name-pair-people.js';
import { NAME_PAIRS } from '../helpers/name-pairs.js';
import { ACTORS } from '../helpers/pathways.js';
import type { TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
useApiStack((s, a) => {
  stack = s;
  app = a;
});

const pravo: Actor = { id: 'staff-olga', role: 'staff', org: 'pravo' };
const oversight: Actor = { id: 'supervisor-omar', role: 'supervisor', org: 'oversight' };
/** Pathway ids by "given family". */
let ids = new Map<string, string>();
const key = nameKey;

interface Item { pathwayId: string; person: { name: string; nameHidden: boolean }; why: { field: string; how: string }[] }

async function search(query: string, actor: Actor = ACTORS.staff) {
  const response = await call(app, stack, actor, { method: 'GET', url: `/v1/people?${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { items: Item[]; nextCursor: string | null };
}
const byName = (q: string, actor?: Actor) => search(`q=${encodeURIComponent(q)}&limit=50`, actor);

beforeAll(async () => {
  ids = await openNamePairPeople(stack);
}, 120_000);

describe('finding people by name across scripts (the name-pair table)', () => {
  it('has at least 40 pairs, of people who must be found and people who must not', () => {
    expect(NAME_PAIRS.length).toBeGreaterThanOrEqual(40);
    expect(NAME_PAIRS.filter((p) => p.expect !== 'found').length).toBeGreaterThanOrEqual(10);
  });

  it.each(NAME_PAIRS.map((pair) => [`${pair.query} → ${key(pair.stored)} (${pair.expect}: ${pair.note})`, pair] as const))('%s', async (_, pair) => {
    const { items } = await byName(pair.query);
    const position = items.findIndex((item) => item.pathwayId === ids.get(key(pair.stored)));
    if (pair.expect === 'found') {
      expect(position, 'found').toBeGreaterThanOrEqual(0);
      const names = items[position]!.why.filter((w) => ['givenName', 'familyName', 'patronymic'].includes(w.field));
      expect(names.length).toBeGreaterThan(0);
      expect(names.map((w) => w.how)).toContain(pair.how);
    } else if (pair.expect === 'not-found') {
      expect(position, 'not found').toBe(-1);
    } else {
      const rival = items.findIndex((item) => item.pathwayId === ids.get(key(pair.rival)));
      expect(rival).toBeGreaterThanOrEqual(0);
      if (position >= 0) {
        expect(position).toBeGreaterThan(rival);
        expect(items[position]!.why.map((w) => w.how)).not.toContain('exact');
      }
    }
  });

  it('ranks the name written as asked before its other spellings, and says why', async () => {
    const { items } = await byName('Aisha');
    const first = items[0]!;
    expect(first.why).toEqual([{ field: 'givenName', how: 'exact' }]);
    expect(first.person.name).toMatch(/Aisha/);
    const cyrillic = items.find((item) => item.pathwayId === ids.get('Айша Каримова'))!;
    expect(cyrillic.person).toMatchObject({ name: 'Каримова Айша', nameHidden: false, age: 18 });
    expect(cyrillic.why).toEqual([{ field: 'givenName', how: 'variant' }]);
  });
});

describe('what a search may see, and what it leaves behind', () => {
  it("finds nobody of another organisation's people; oversight finds everyone's", async () => {
    expect((await byName('Muhammad', pravo)).items).toEqual([]);
    const own = (await byName('Muhammad')).items.map((item) => item.pathwayId);
    expect(own).toContain(ids.get('Muhammad Rakhimov'));
    expect((await byName('Muhammad', oversight)).items.map((item) => item.pathwayId).sort()).toEqual([...own].sort());
  });

  it('finds a hidden name by its exact full name only, and shows it as initials', async () => {
    const id = ids.get('Nilufar Karimova')!;
    await stack.db.pool.query('update people set name_hidden = true where pathway_id = $1', [id]);
    try {
      for (const q of ['Nilufar', 'Nilupar', 'Karimova', 'Nilu', 'Нилуфар']) {
        expect((await byName(q)).items.map((item) => item.pathwayId), q).not.toContain(id);
      }
      for (const q of ['Nilufar Karimova', 'Karimova Nilufar', 'Нилуфар Каримова', id]) {
        const found = (await byName(q)).items.find((item) => item.pathwayId === id);
        expect(found?.person, q).toMatchObject({ name: 'K. N.', nameHidden: true });
      }
    } finally {
      await stack.db.pool.query('update people set name_hidden = false where pathway_id = $1', [id]);
    }
  });

  it('finds by id, family group, birth year and operation, alone or with a name', async () => {
    const id = ids.get('Aisha Karimova')!;
    expect((await search(`q=${id.toUpperCase()}`)).items).toMatchObject([{ pathwayId: id, why: [{ field: 'id', how: 'exact' }] }]);
    const { rows } = await stack.db.pool.query(`select extract(year from birth_date)::int as year from people where pathway_id = $1`, [id]);
    const year = rows[0].year as number;
    const byYear = (await search(`birthYear=${year}&limit=50`)).items;
    expect(byYear.map((item) => item.pathwayId)).toEqual([id]);
    expect(byYear[0]!.why).toEqual([{ field: 'birthYear', how: 'exact' }]);
    expect((await search(`q=Aisha&birthYear=${year}`)).items.map((item) => item.pathwayId)).toEqual([id]);
    expect((await search(`q=Aisha&birthYear=${year - 1}`)).items.map((item) => item.pathwayId)).not.toContain(id);
    const operation = stack.templates.get('UZ')!.operations[0]!.name;
    expect((await search(`operation=${operation}&limit=50`)).items.length).toBe(ids.size > 50 ? 50 : ids.size);
    await stack.db.pool.query(`update pathways set family_group_id = 'fam-search-1' where id = $1`, [id]);
    expect((await search('familyGroup=fam-search-1')).items.map((item) => item.pathwayId)).toEqual([id]);
  });

  it('pages through the results with a cursor, without repeats', async () => {
    const all = (await byName('Abdul')).items.map((item) => item.pathwayId);
    expect(all.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Item[]; nextCursor: string | null } = await search(`q=Abdul&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((item) => item.pathwayId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it("writes each pathway shown to its access log (search) and the search to the search log, never the query", async () => {
    const response = await call(app, stack, ACTORS.supervisor, { method: 'GET', url: `/v1/people?q=${encodeURIComponent('Айша')}`, headers: { 'x-request-id': 'search-logged-1' } });
    const shown = (response.json().items as Item[]).map((item) => item.pathwayId);
    expect(shown.length).toBeGreaterThan(2);
    const logged = await stack.db.pool.query(`select pathway_id, what, actor_id, via from access_log where request_id = 'search-logged-1'`);
    expect(logged.rows.map((row) => row.pathway_id).sort()).toEqual([...shown].sort());
    expect(new Set(logged.rows.map((row) => `${row.what} ${row.actor_id} ${row.via}`))).toEqual(new Set(['search supervisor-sue organisation']));
    const searches = await stack.db.pool.query(`select * from person_searches where request_id = 'search-logged-1'`);
    expect(searches.rows).toEqual([
      expect.objectContaining({ actor_id: 'supervisor-sue', actor_role: 'supervisor', actor_org: 'mlsp', filters: ['q'], results: shown.length }),
    ]);
    expect(JSON.stringify(searches.rows)).not.toMatch(/Айша|aysha|asha/i);
    const oversightSearch = await call(app, stack, oversight, { method: 'GET', url: '/v1/people?q=Muhammad', headers: { 'x-request-id': 'search-logged-2' } });
    expect(oversightSearch.statusCode).toBe(200);
    const viaOversight = await stack.db.pool.query(`select distinct via from access_log where request_id = 'search-logged-2'`);
    expect(viaOversight.rows).toEqual([{ via: 'oversight' }]);
  });

  it('answers 400 problems for a search it cannot run', async () => {
    const bad = async (query: string, path: string) => {
      const body = expectProblem(await call(app, stack, ACTORS.staff, { method: 'GET', url: `/v1/people${query}` }), 400, 'validation-failed');
      expect(body.fields.map((f: { path: string }) => f.path)).toContain(path);
    };
    await bad('', 'querystring.q');
    await bad('?q=a', 'querystring.q');
    await bad(`?q=${'a'.repeat(101)}`, 'querystring.q');
    await bad('?q=%21%21%21', 'querystring.q');
    await bad('?q=a+b+c+d+e+f+g', 'querystring.q');
    await bad('?birthYear=1800', 'querystring.birthYear');
    await bad(`?birthYear=${new Date().getUTCFullYear() + 1}`, 'querystring.birthYear');
    await bad('?familyGroup=a%20b', 'querystring.familyGroup');
    await bad('?q=Aisha&limit=51', 'querystring.limit');
    await bad('?q=Aisha&cursor=nonsense', 'querystring.cursor');
    await bad('?q=Aisha&name=x', 'querystring');
  });
});
