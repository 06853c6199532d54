import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { consoleConfig } from '../console-config.js';
import { Org, organisationsIn } from '../directory.js';
import { label } from '../i18n.js';
import type { Choices, JsonSchema } from '../schema-form.js';
import type { Session } from '../session.js';
import { isolated } from '../ui.js';
import { useHouseholds } from './households.js';
import { referralChoices } from './pathway-shares.js';
import type { PathwayState } from './pathway-types.js';

type Values = Record<string, unknown>;

/** Another pathway of the organisation that may be the same person. */
interface Duplicate {
  pathwayId: string;
  programme: string;
  status: string;
  currentStage: string;
  person: { name: string; birthDate: string };
}

/** Someone of one's own organisation who has signed in: whom work may be assigned to. */
interface Colleague {
  id: string;
  role: string;
  lastSeenAt: string;
}

const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
const named = (names: string[]) => names.map((name) => ({ value: name, label: name }));

/**
 * The choices of an action's open fields, by their names: organisations of the directory, the
 * catalogue's programmes, operations and phases, one's colleagues, the pathway's referrals. Nobody
 * types an id.
 */
function choicesOf(fields: Record<string, JsonSchema>, values: Values, state: PathwayState, colleagues: Colleague[] | undefined, duplicates: Duplicate[] | undefined, households: Choices[string]): Choices {
  const choices: Choices = {};
  if (fields.householdId) choices.householdId = households;
  if (fields.referral) choices.referral = referralChoices(state).referral!;
  const programme = text(values.programme) ?? state.programme;
  if (fields.programme) {
    const { programmes } = consoleConfig().catalogue;
    const operations = programmes.find((p) => p.code === programme)?.operations ?? [];
    choices.programme = named(programmes.map((p) => p.code));
    choices.operation = named(operations.map((o) => o.name));
    choices.phase = named(operations.find((o) => o.name === text(values.operation))?.phases ?? []);
  }
  // Work goes to an organisation not on the pathway yet; in another programme (a transfer), its own may continue it.
  if (fields.to) choices.to = organisationsIn(programme, programme === state.programme ? state.organisations : []);
  if (fields.organisations) choices.organisations = organisationsIn(state.programme);
  if (fields.assignee) {
    choices.assignee = [...(colleagues ?? [])]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((c) => ({ value: c.id, label: `${isolated(c.id)} (${label('role', c.role)})` }));
  }
  // The pathway that stays, when this one is closed as its duplicate: one the duplicate check finds.
  if (fields.duplicateOf) {
    choices.duplicateOf = (duplicates ?? []).map((d) => ({
      value: d.pathwayId,
      label: `${isolated(d.person.name)} · ${d.person.birthDate} · ${d.programme} · ${label('stage', d.currentStage)} · ${label('status', d.status)}`,
    }));
  }
  return choices;
}

/** Values no choice offers any more (an example's placeholder, an operation of another programme) are left out. */
function fitted(values: Values, choicesFor: (values: Values) => Choices): Values {
  let next = values;
  // An emptied operation empties its phase in turn: as many rounds as fields depend on each other.
  for (let round = 0; round < 3; round++) {
    const choices = choicesFor(next);
    const offered = (name: string, value: unknown) => choices[name]!.some((c) => c.value === value);
    const changed = Object.keys(choices).flatMap((name): [string, unknown][] => {
      const value = next[name];
      if (Array.isArray(value)) return value.every((v) => offered(name, v)) ? [] : [[name, value.filter((v) => offered(name, v))]];
      return text(value) !== undefined && !offered(name, value) ? [[name, undefined]] : [];
    });
    if (!changed.length) break;
    next = { ...next, ...Object.fromEntries(changed) };
  }
  return next;
}

/**
 * What the action form needs to offer choices for the chosen action's schema: the choices, the
 * values it starts from, the fields given rather than chosen (an assignee's organisation is always
 * one's own). The people of one's organisation are fetched when a form asks for an assignee.
 */
export function useActionChoices(state: PathwayState, session: Session, schema: JsonSchema | undefined) {
  const fields = schema?.properties ?? {};
  const [colleagues, setColleagues] = useState<Colleague[]>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (!fields.assignee || colleagues) return;
    api<{ items: Colleague[] }>(`/v1/organisations/${encodeURIComponent(session.actor.org)}/people`).then((answer) => setColleagues(answer.items), setError);
  }, [Boolean(fields.assignee)]);
  const [duplicates, setDuplicates] = useState<Duplicate[]>();
  useEffect(() => {
    if (!fields.duplicateOf || duplicates) return;
    api<{ items: Duplicate[] }>(`/v1/pathways/${encodeURIComponent(state.pathwayId)}/possible-duplicates`).then((answer) => setDuplicates(answer.items), setError);
  }, [Boolean(fields.duplicateOf)]);
  const households = useHouseholds(state.pathwayId, Boolean(fields.householdId));
  const choicesFor = (values: Values) => choicesOf(fields, values, state, colleagues, duplicates, households);
  const given: Values = fields.org ? { org: session.actor.org } : {};
  const fixed: Record<string, ComponentChildren> = fields.org ? { org: <Org id={session.actor.org} /> } : {};
  return {
    error,
    choices: choicesFor,
    fixed,
    /** The values a form starts from: one's own organisation, nothing chosen (a transfer's empty programme is the pathway's own). */
    start: () => fitted(given, choicesFor),
    /** Values after a change: what depends on a changed field follows it. */
    change: (values: Values) => fitted({ ...values, ...given }, choicesFor),
  };
}
