import type { z } from 'zod';
import type { HistoryEntry } from '../../../src/api/schemas.js';
import { api, query } from '../api.js';
import { formatDate, label, t } from '../i18n.js';
import { href, setHashQuery, useHashQuery } from '../router.js';
import { Org } from '../directory.js';
import { Facts } from '../facts.js';
import { BirthAndAge, PersonLink, type ShownPerson } from '../person.js';
import { ErrorBox, Free, Loading, PageButtons, PageTitle, Table, tx, useLoad } from '../ui.js';

/** One line of the trail, as the API answers it. */
type Entry = z.infer<typeof HistoryEntry>;
interface History {
  /** Who the pathway is for: initials when the name is hidden (only the pathway's page names them in full). */
  person: ShownPerson;
  chain: { verified: boolean; firstBroken?: { seq: number; reason: string } };
  incident?: { firstUnwrittenSeq: number; since: string };
  entries: Entry[];
}
interface AccessLog {
  entries: { at: string; actorId: string; actorRole: string; actorOrg: string; what: string; via: string | null }[];
  previousCursor: string | null;
  nextCursor: string | null;
}

/** Who read the pathway, a page at a time: the page is in the address (`?log=`), so Back returns to the one before. */
function AccessLogPages({ id }: { id: string }) {
  const cursor = useHashQuery().log;
  const loaded = useLoad(() => api<AccessLog>(`/v1/pathways/${encodeURIComponent(id)}/access-log${query({ cursor, limit: 50 })}`), [id, cursor]);
  if (!loaded.data) return loaded.error ? <ErrorBox error={loaded.error} /> : <Loading />;
  const { entries, previousCursor, nextCursor } = loaded.data;
  return (
    <section aria-labelledby="access-log">
      <h2 id="access-log">{t('history.accessLogTitle')}</h2>
      <Table caption={t('history.accessLog', { count: entries.length })}>
        <thead><tr><th scope="col">{t('history.when')}</th><th scope="col">{t('history.who')}</th><th scope="col">{t('history.what')}</th><th scope="col">{t('history.how')}</th></tr></thead>
        <tbody>
          {entries.map((entry, index) => (
            <tr key={index}>
              <td>{formatDate(entry.at, true)}</td>
              <td>{tx('common.actor', { id: <Free>{entry.actorId}</Free>, role: label('role', entry.actorRole), org: <Org id={entry.actorOrg} /> })}</td>
              <td>{t(`history.read.${entry.what}`)}</td>
              <td>{entry.via ? t(`history.via.${entry.via}`) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <PageButtons previous={previousCursor ? () => setHashQuery({ log: previousCursor }) : undefined}
        next={nextCursor ? () => setHashQuery({ log: nextCursor }) : undefined} />
    </section>
  );
}

/** A pathway's audit trail as a timeline, whether its hash chain verifies, and who read it. */
export function HistoryPage({ id }: { id: string }) {
  const loaded = useLoad(() => api<History>(`/v1/pathways/${encodeURIComponent(id)}/history`), [id]);
  if (!loaded.data) return loaded.error ? <ErrorBox error={loaded.error} /> : <Loading />;
  const history = loaded.data;
  return (
    <article>
      <PageTitle>{t('history.title')}</PageTitle>
      <p class="who">{tx('person.trailOf', { person: <PersonLink id={id} person={history.person} /> })} <BirthAndAge person={history.person} /></p>
      <p><a href={href('pathways', id)}>{t('history.back')}</a></p>
      <p class={history.chain.verified ? 'ok' : 'error'} role="status">
        {history.chain.verified ? t('history.chainVerified', { count: history.entries.length })
          : t('history.chainBroken', { seq: history.chain.firstBroken?.seq ?? '?', reason: t(`history.broken.${history.chain.firstBroken?.reason ?? 'missing'}`) })}
      </p>
      {history.incident ? <p class="error">{t('history.incident', { seq: history.incident.firstUnwrittenSeq, date: formatDate(history.incident.since, true) })}</p> : null}
      <ol class="timeline history">
        {history.entries.map((entry) => (
          <li key={entry.seq} class={`entry-${entry.kind}${entry.correctedBy ? ' corrected' : ''}`}>
            <p>
              <strong>{entry.kind === 'action' ? label('action', entry.type) : t(`event.${entry.type}`)}</strong>{' '}
              <span class="muted">{label('stage', entry.stage)} · {formatDate(entry.occurredAt, true)} · #{entry.seq}</span>
            </p>
            <p>{entry.actor ? tx('history.by', { id: <Free>{entry.actor.id}</Free>, role: label('role', entry.actor.role), org: <Org id={entry.actor.org} /> }) : t('history.automatic')}</p>
            {Object.keys(entry.outcome).length ? <p><Facts facts={entry.outcome} /></p> : null}
            {entry.correctedBy ? <p><span class="badge danger">{t('history.correctedBy', { seq: entry.correctedBy })}</span></p> : null}
            {entry.note ? <blockquote><Free>{entry.note}</Free></blockquote> : null}
          </li>
        ))}
      </ol>
      <AccessLogPages id={id} />
    </article>
  );
}
