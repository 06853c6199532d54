import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { isolated } from '../ui.js';

interface Member {
  pathwayId: string;
  person: { name: string };
  placement: { householdId: string } | null;
}

/**
 * Where a child may be placed: the households the family group's members are placed in (named by
 * who lives there), or a new household. A new one gets an id of its own, never shown: nobody types
 * or invents a household reference.
 */
export function useHouseholds(pathwayId: string, wanted: boolean): { value: string; label: string }[] {
  const [members, setMembers] = useState<Member[]>([]);
  const [fresh] = useState(() => `household-${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`);
  useEffect(() => {
    if (!wanted) return;
    // Only those who may decode the family see it; the others can still start a new household.
    api<{ members: Member[] }>(`/v1/pathways/${encodeURIComponent(pathwayId)}/family`).then((family) => setMembers(family.members), () => setMembers([]));
  }, [wanted, pathwayId]);
  const byHousehold = new Map<string, string[]>();
  for (const member of members) {
    if (member.placement) byHousehold.set(member.placement.householdId, [...(byHousehold.get(member.placement.householdId) ?? []), isolated(member.person.name)]);
  }
  return [
    ...[...byHousehold].map(([value, names]) => ({ value, label: t('pathway.householdOf', { names: names.join(', ') }) })),
    { value: fresh, label: t('pathway.newHousehold') },
  ];
}
