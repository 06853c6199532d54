import { api, query } from '../api.js';
import { formatDate, label, t } from '../i18n.js';
import { PersonCell, type ShownPerson } from '../person.js';
import { said } from '../says.js';
import { ErrorBox, Free, Loading, PageButtons, PageTitle, Table, useLoad, useRequest } from '../ui.js';
import { useAddressPage } from '../router.js';
import { DecisionSummary, type Decision } from './decision.js';
import { consoleConfig } from '../console-config.js';
import { currentSession } from '../session.js';
import { DuplicateAlertsWaiting } from './duplicates.js';
import { BulkBar, SelectAllCell, SelectCell, useSelection, type BulkRow } from './bulk.js';

export interface WorkItem {
  id: string;
  programme: string;
  operation: string;
  currentStage: string;
  overdue: boolean;
  dueAt: string | null;
  /** Null while the pathway has not written what it waits for yet (see note). */
  actions: { type: string; stage: string }[] | null;
  waitingFor: { roles: string[]; actions: { type: string; roles: string[]; fourEyes?: true }[] } | null;
  blockers: string[] | null;
  note?: string;
  /** How the caller's organisation comes to see it: its own, a stage referred to it, a transfer offered to it. */
  via: 'organisation' | 'referral' | 'transfer';
  /** The stage referred to the caller's organisation this row is about: one row per such stage. */
  referredStage?: string | null;
  /** Who of the caller's organisation holds it, if anyone. */
  assignedTo: string | null;
  /** Nobody holds it: the caller (staff) may take it. */
  claimable: boolean;
  /** Who it is for: eleven rows of one stage are told apart by this. */
  person: ShownPerson;
  /** The decision the caller may approve on this row, summarised. */
  decision?: Decision | null;
}

/** How the item came to this organisation, and who holds it; a member of staff claims what nobody holds. */
function Holding({ item, claim, busy }: { item: WorkItem; claim: (item: WorkItem) => void; busy: boolean }) {
  // A transfer offered is answered by a coordinator or supervisor first: there is nothing of it to claim yet.
  const canClaim = item.claimable && item.via !== 'transfer';
  return (
    <>
      <td>{t(`worklist.via.${item.via}`)}</td>
      <td>
        {item.assignedTo !== null ? <Free>{item.assignedTo}</Free> : (canClaim ? <button type="button" disabled={busy} onClick={() => claim(item)}>{t('pathway.claim')}</button> : t('worklist.nobody'))}
      </td>
    </>
  );
}

/** Oversight's supervisors are told of possible duplicates across organisations here too. */
const isOverseer = () => {
  const actor = currentSession()?.actor;
  return actor?.role === 'supervisor' && actor.org === consoleConfig().oversightOrg;
};

/** A pathway is a row once, or once per stage referred to this organisation. */
const rowKey = (item: WorkItem) => `${item.id}/${item.referredStage ?? ''}`;

/** A row selected for a bulk step: a referral's row is about its stage alone, as its Claim button is. */
const bulkRow = (item: WorkItem): BulkRow => ({ key: rowKey(item), pathwayId: item.id, person: item.person, stage: item.via === 'referral' ? (item.referredStage ?? item.currentStage) : undefined });

function why(item: WorkItem): string {
  if (item.blockers?.length) return item.blockers.map(said).join('; ');
  if (item.waitingFor?.actions.some((a) => a.fourEyes)) return t('worklist.fourEyes');
  const roles = item.waitingFor?.roles ?? [];
  return roles.length ? t('pathway.waitingFor', { roles: roles.map((r) => label('role', r)).join(', ') }) : t(item.actions === null ? 'worklist.unknown' : 'worklist.time');
}

/** What waits for the caller, most overdue first; below, what waits for others and why. */
export function WorklistPage({ kind }: { kind: 'all' | 'approvals' }) {
  // The page is in the address: Back returns to the one before.
  const { cursor, first, next } = useAddressPage();
  const loaded = useLoad(
    () => api<{ items: WorkItem[]; nextCursor: string | null }>(`/v1/worklist${query({ kind: kind === 'approvals' ? 'approvals' : undefined, limit: 50, cursor })}`),
    [kind, cursor],
  );
  const claiming = useRequest();
  // Claimed for the whole pathway, or for the stage referred to this organisation.
  const claim = (item: WorkItem) =>
    claiming.run(async () => {
      const payload = item.via === 'referral' ? { stage: item.referredStage ?? item.currentStage } : {};
      await api(`/v1/pathways/${encodeURIComponent(item.id)}/actions`, { method: 'POST', body: { type: 'pathway.claim', payload, actionId: crypto.randomUUID() } });
      loaded.reload();
    });
  const approvals = kind === 'approvals';
  const items = loaded.data?.items ?? [];
  const mine = items.filter((item) => item.actions?.length);
  const others = items.filter((item) => !item.actions?.length);
  const selection = useSelection(mine.map(bulkRow));
  return (
    <section>
      <PageTitle>{t(kind === 'approvals' ? 'nav.approvals' : 'nav.worklist')}</PageTitle>
      {loaded.loading && !loaded.data ? <Loading /> : null}
      <ErrorBox error={loaded.error ?? claiming.error} />
      {isOverseer() ? <DuplicateAlertsWaiting /> : null}
      {loaded.data ? (
        <>
          {kind === 'all' ? <BulkBar selection={selection} offered={['release', 'claim', 'assign']} onDone={loaded.reload} /> : null}
          <Table caption={t(kind === 'approvals' ? 'worklist.approvalsCaption' : 'worklist.mineCaption', { count: mine.length })}>
            <thead>
              <tr>{kind === 'all' ? <SelectAllCell selection={selection} /> : null}<th scope="col">{t('person.andStage')}</th><th scope="col">{t('worklist.actions')}</th>{approvals ? <th scope="col">{t('worklist.decision')}</th> : null}<th scope="col">{t('worklist.due')}</th><th scope="col">{t('field.programme')}</th><th scope="col">{t('worklist.how')}</th><th scope="col">{t('worklist.heldBy')}</th></tr>
            </thead>
            <tbody>
              {mine.map((item) => (
                <tr key={rowKey(item)} class={item.overdue ? 'overdue' : ''}>
                  {kind === 'all' ? <SelectCell selection={selection} row={bulkRow(item)} /> : null}
                  <PersonCell id={item.id} person={item.person} extra={label('stage', item.currentStage)} />
                  <td>{(item.actions ?? []).map((a) => label('action', a.type)).join(', ')}</td>
                  {approvals ? <td>{item.decision ? <DecisionSummary decision={item.decision} /> : null}</td> : null}
                  <td>{formatDate(item.dueAt)}{item.overdue ? <span class="badge danger">{t('common.overdue')}</span> : null}</td>
                  <td>{item.programme} · {item.operation}</td>
                  <Holding item={item} claim={claim} busy={claiming.busy} />
                </tr>
              ))}
            </tbody>
          </Table>
          {mine.length === 0 ? <p>{t('worklist.nothing')}</p> : null}
          {kind === 'all' && others.length ? (
            <Table caption={t('worklist.othersCaption', { count: others.length })}>
              <thead>
                <tr><th scope="col">{t('person.andStage')}</th><th scope="col">{t('worklist.why')}</th><th scope="col">{t('worklist.due')}</th><th scope="col">{t('field.programme')}</th><th scope="col">{t('worklist.how')}</th><th scope="col">{t('worklist.heldBy')}</th></tr>
              </thead>
              <tbody>
                {others.map((item) => (
                  <tr key={rowKey(item)}>
                    <PersonCell id={item.id} person={item.person} extra={label('stage', item.currentStage)} />
                    <td class="why">{why(item)}</td>
                    <td>{formatDate(item.dueAt)}{item.overdue ? <span class="badge danger">{t('common.overdue')}</span> : null}</td>
                    <td>{item.programme} · {item.operation}</td>
                    <Holding item={item} claim={claim} busy={claiming.busy} />
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : null}
          <PageButtons first={first} next={next(loaded.data.nextCursor)} />
        </>
      ) : null}
    </section>
  );
}
