'use strict';
/*
 * What the workflow bundle gets for `import { z } from 'zod'` (an alias set in
 * src/temporal/worker.ts); Node code gets zod itself.
 *
 * The modules that declare schemas are preloaded: they run once per worker thread and are then
 * shared, deep-frozen, by every pathway, instead of running again at the start of each run.
 * zod cannot be frozen (it installs members on its objects when they are first used), so here a
 * schema is only a description of how to build it. It is built, with zod loaded, the first time
 * it parses, which is inside a pathway's Update validator, never at module load; the built schema
 * is kept in the description's closure, out of reach of the freezing, and serves every run since.
 * Schemas hold no per-pathway state, so sharing them cannot leak one pathway into another.
 */

let zod;
const real = () => (zod ??= require('zod/v4').z);

const BUILD = Symbol('build');

/** Methods that make a new schema from a schema: recorded, not run. Any other member builds. */
const CHAIN = new Set([
  'optional', 'nullable', 'nullish', 'array', 'or', 'and', 'strict', 'strip', 'passthrough', 'catchall',
  'extend', 'merge', 'pick', 'omit', 'partial', 'required', 'keyof', 'min', 'max', 'length', 'nonempty',
  'int', 'positive', 'negative', 'nonnegative', 'nonpositive', 'gt', 'gte', 'lt', 'lte', 'multipleOf',
  'regex', 'email', 'url', 'uuid', 'trim', 'toLowerCase', 'toUpperCase', 'startsWith', 'endsWith',
  'includes', 'refine', 'superRefine', 'check', 'transform', 'pipe', 'default', 'catch', 'describe',
  'meta', 'brand', 'readonly', 'exclude', 'extract',
]);

/** Replaces described schemas (also inside a shape, a tuple or an options object) by built ones. */
function built(value) {
  if (value === null || typeof value !== 'object') return value;
  if (value[BUILD]) return value[BUILD]();
  if (Array.isArray(value)) return value.map(built);
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, built(item)]));
}

function described(build) {
  let schema;
  const once = () => {
    if (schema === undefined) {
      if (globalThis.__TEMPORAL_ACTIVATOR__ === undefined) {
        // Built while the bundle loads, zod would be frozen with the preloaded modules.
        throw new Error('A zod schema was used at module load of workflow code; use it in a function.');
      }
      schema = build();
    }
    return schema;
  };
  // An empty object target: freezing the description freezes nothing of zod.
  return new Proxy(
    {},
    {
      get(_, key) {
        if (key === BUILD) return once;
        if (typeof key === 'string' && CHAIN.has(key)) return (...args) => described(() => once()[key](...args.map(built)));
        const value = once()[key];
        return typeof value === 'function' ? value.bind(once()) : value;
      },
    },
  );
}

/** `z.object(...)`, `z.enum(...)`, ...: each call describes a schema. */
const z = new Proxy(
  {},
  {
    get(_, key) {
      return (...args) => described(() => real()[key](...args.map(built)));
    },
  },
);

module.exports = { z };
