import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/index.js';

// What the workflow bundle gets for zod (see src/temporal/worker.ts); loaded here as Node would.
const require = createRequire(import.meta.url);
const { z } = require(path.join(PROJECT_ROOT, 'workflows', 'zod-on-demand.cjs')) as { z: typeof import('zod').z };
const inWorkflow = (on: boolean) => {
  const global = globalThis as { __TEMPORAL_ACTIVATOR__?: unknown };
  if (on) global.__TEMPORAL_ACTIVATOR__ = {};
  else delete global.__TEMPORAL_ACTIVATOR__;
};

describe('schemas of workflow code', () => {
  afterEach(() => inWorkflow(false));

  it('are described at module load and built when a pathway first validates with them', () => {
    // Described while no pathway runs, as the preloaded modules are: nothing is built yet.
    const Reference = z.string().regex(/^[a-z]{1,8}$/, 'must be an id');
    const Payload = z
      .object({ kind: z.enum(['visit', 'call']), ref: Reference, count: z.number().int().min(0).max(3).optional(), tags: z.array(z.string()).max(2) })
      .strict();
    expect(() => Payload.safeParse({})).toThrow(/module load/);

    inWorkflow(true);
    expect(Payload.parse({ kind: 'visit', ref: 'abc', tags: [] })).toEqual({ kind: 'visit', ref: 'abc', tags: [] });
    const refused = Payload.safeParse({ kind: 'mail', ref: 'ABC', count: 1.5, tags: ['a', 'b', 'c'], extra: true });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['', 'count', 'kind', 'ref', 'tags']);
    expect(refused.error!.issues.find((issue) => issue.path[0] === 'ref')?.message).toBe('must be an id');
  });

  it('keep refinements and tuples, and build each schema once', () => {
    const Even = z.number().refine((n) => n % 2 === 0, 'must be even');
    const Pair = z.tuple([Even, Even]);
    inWorkflow(true);
    expect(Pair.safeParse([2, 4]).success).toBe(true);
    expect(Pair.safeParse([2, 3]).error?.issues[0]?.message).toBe('must be even');
    // Built once: the same zod schema answers every time (shared by every pathway of a worker).
    expect((Pair as unknown as { _zod: object })._zod).toBe((Pair as unknown as { _zod: object })._zod);
  });
});
