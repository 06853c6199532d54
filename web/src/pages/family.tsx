import { api } from '../api.js';
import { formatDate, label, t } from '../i18n.js';
import { href } from '../router.js';
import { PersonLink, type ShownPerson } from '../person.js';
import { ErrorBox, Free, Loading, PageTitle, Table, useLoad } from '../ui.js';

/** A member of a family group as GET /v1/pathways/:id/family shows it. */
interface Member {
  pathwayId: string;
  relation: 'self' | 'mother' | 'child' | 'sibling' | 'member';
  person: ShownPerson;
  isChild: boolean;
  status: string;
  currentStage: string;
  overdue: boolean;
  placement: { option: string; householdId: string; approved: boolean } | null;
}

interface Family {
  pathwayId: string;
  group: { id: string; programme: string; operation: string; phase: string | null; arrivalDate: string } | null;
  members: Member[];
  notShown: number;
}

const loadFamily = (id: string) => api<Family>(`/v1/pathways/${encodeURIComponent(id)}/family`);

function Placement({ placement }: { placement: Member['placement'] }) {
  if (!placement) return <span class="muted">{t('family.notPlaced')}</span>;
  return (
    <>
      {label('value', placement.option)} · <Free>{placement.householdId}</Free>{' '}
      <span class="badge">{t(placement.approved ? 'family.approved' : 'family.proposed')}</span>
    </>
  );
}

/** The members as a table: each name links to its pathway, but the `current` one's, whose page this is. */
function Members({ members, caption, current }: { members: Member[]; caption: string; current?: string }) {
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          <th scope="col">{t('family.name')}</th><th scope="col">{t('family.relation')}</th><th scope="col">{t('field.currentStage')}</th>
          <th scope="col">{t('field.status')}</th><th scope="col">{t('family.placement')}</th>
        </tr>
      </thead>
      <tbody>
        {members.map((m) => (
          <tr key={m.pathwayId} class={m.overdue ? 'overdue' : ''}>
            <td>
              {m.pathwayId === current ? <Free>{m.person.name}</Free> : <PersonLink id={m.pathwayId} person={m.person} />}
              <span class="muted"> · {t('family.age', { age: m.person.age })}</span>
            </td>
            <td>{t(`family.relation.${m.relation}`)}{m.relation === 'member' ? ` (${t(m.isChild ? 'family.child' : 'family.adult')})` : ''}</td>
            <td>{label('stage', m.currentStage)}{m.overdue ? <span class="badge danger">{t('common.overdue')}</span> : null}</td>
            <td>{label('status', m.status)}</td>
            <td><Placement placement={m.placement} /></td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

const NotShown = ({ count }: { count: number }) => (count ? <p class="muted">{t('family.notShown', { count })}</p> : null);

/** On a pathway's page: its mother, siblings or children, with a link to the whole group's page. */
export function FamilySection({ pathwayId }: { pathwayId: string }) {
  const loaded = useLoad(() => loadFamily(pathwayId), [pathwayId]);
  const others = loaded.data?.members.filter((m) => m.relation !== 'self') ?? [];
  return (
    <section aria-labelledby="family-heading">
      <h2 id="family-heading">{t('family.title')}</h2>
      {loaded.loading ? <Loading /> : null}
      <ErrorBox error={loaded.error} />
      {loaded.data?.group ? (
        <>
          {others.length ? <Members members={others} caption={t('family.caption', { count: others.length })} /> : <p>{t('family.nobodyElse')}</p>}
          <NotShown count={loaded.data.notShown} />
          <p class="links"><a href={href('pathways', pathwayId, 'family')}>{t('family.wholeGroup')}</a></p>
        </>
      ) : null}
    </section>
  );
}

/** The family group page, addressed by any member's pathway id: the group is that pathway's, in its organisation's arrival. */
export function FamilyGroupPage({ id }: { id: string }) {
  const loaded = useLoad(() => loadFamily(id), [id]);
  const family = loaded.data;
  return (
    <section>
      <PageTitle>{family?.group ? t('family.groupTitle', { id: family.group.id }) : t('family.title')}</PageTitle>
      {loaded.loading ? <Loading /> : null}
      <ErrorBox error={loaded.error} />
      {family?.group ? (
        <>
          <dl class="summary">
            <dt>{t('field.programme')}</dt>
            <dd>{family.group.programme} · {family.group.operation}{family.group.phase ? ` · ${family.group.phase}` : ''}</dd>
            <dt>{t('field.arrivalDate')}</dt><dd>{formatDate(family.group.arrivalDate)}</dd>
          </dl>
          <Members members={family.members} caption={t('family.caption', { count: family.members.length })} />
          <NotShown count={family.notShown} />
        </>
      ) : family ? <p>{t('family.none')}</p> : null}
      <p class="links"><a href={href('pathways', id)}>{t('family.back')}</a></p>
    </section>
  );
}
