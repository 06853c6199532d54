import { api } from './api.js';
import { language } from './i18n.js';
import { Free } from './ui.js';

/** An organisation of the service's directory (`GET /v1/organisations`). */
export interface Organisation {
  id: string;
  kind: 'ministry' | 'ngo' | 'clinic' | 'legal-aid' | 'oversight';
  /** Its name in each language the directory knows; English at least. */
  names: Record<string, string>;
  /** The programmes it works in: referrals and transfers to it are for these. */
  programmes: string[];
}

const known = new Map<string, Organisation>();
let loading: Promise<void> | undefined;

/** The directory, fetched once for the session (it is the same for everyone); tried again after a failure. */
export function loadDirectory(): Promise<void> {
  loading ??= api<{ items: Organisation[] }>('/v1/organisations').then(
    ({ items }) => {
      known.clear();
      for (const organisation of items) known.set(organisation.id, organisation);
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

export const isKnownOrganisation = (id: string) => known.has(id);

/** Its name in the chosen language, else in English; an id the directory does not know, as it is. */
export function orgName(id: string): string {
  const names = known.get(id)?.names;
  return names ? (names[language()] ?? names.en ?? id) : id;
}

/** The organisations working in `programme`, by name in the chosen language, less those of `except`. */
export function organisationsIn(programme: string, except: readonly string[] = []): { value: string; label: string }[] {
  return [...known.values()]
    .filter((o) => o.programmes.includes(programme) && !except.includes(o.id))
    .map((o) => ({ value: o.id, label: orgName(o.id) }))
    .sort((a, b) => a.label.localeCompare(b.label, language()));
}

/** An organisation by its name, its id kept as the title; an unknown one by its id, as any text that came from someone. */
export function Org({ id }: { id: string }) {
  if (!known.has(id)) return <Free>{id}</Free>;
  return (
    <bdi class="name" title={id}>
      {orgName(id)}
    </bdi>
  );
}
