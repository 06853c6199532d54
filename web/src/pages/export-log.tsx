/** @jsxRuntime classic */
/** @jsx h */
/** @jsxFrag Fragment */
// Fetched when opened (pages/index.tsx): the console's parts come in `kit` (see kit.ts).
import type { h } from 'preact';
import type { ExportLogBody } from '../../../src/api/routes/exports.js';
import type { Kit } from './kit.js';
import { reportParts } from './report-parts.js';

/** The export log: who took which list away, when, why, and how many people were in it. Supervisors only. */
export function exportLogPage(kit: Kit) {
  const { h, Fragment, api, query, formatDate, formatNumber, t, Org, ErrorBox, Free, Loading, PageButtons, PageTitle, Table, useAddressPage, useLoad } = kit;
  const { ReportTabs } = reportParts(kit);

  function ExportLogPage(): h.JSX.Element {
    const { cursor, first, next } = useAddressPage();
    const loaded = useLoad(() => api<ExportLogBody>(`/v1/exports${query({ before: cursor, limit: 50 })}`), [cursor]);
    const data = loaded.data;
    return (
      <section>
        <PageTitle>{t('reports.tab.exports')}</PageTitle>
        <ReportTabs at="exports" />
        <p>{t('exportLog.intro')}</p>
        {loaded.loading ? <Loading /> : null}
        <ErrorBox error={loaded.error} />
        {data && data.items.length === 0 ? <p>{t('exportLog.none')}</p> : null}
        {data && data.items.length ? (
          <Table caption={t('exportLog.caption')}>
            <thead><tr>
              <th scope="col">{t('exportLog.when')}</th><th scope="col">{t('exportLog.who')}</th><th scope="col">{t('exportLog.list')}</th>
              <th scope="col">{t('export.reason')}</th><th scope="col">{t('exportLog.pathways')}</th><th scope="col">{t('exportLog.rows')}</th>
            </tr></thead>
            <tbody>
              {data.items.map((e) => (
                <tr key={e.id}>
                  <th scope="row">{formatDate(e.at, true)}</th>
                  <td><Free>{e.actorId}</Free>, <Org id={e.actorOrg} /></td>
                  <td>{t(`export.list.${e.list}`)} ({e.format.toUpperCase()})</td>
                  <td>{e.reason ? t(`export.reason.${e.reason}`) : t('exportLog.noReason')}{e.reasonNote ? <>: <Free>{e.reasonNote}</Free></> : null}</td>
                  <td>{e.personal ? formatNumber(e.pathways) : '–'}</td>
                  <td>{e.rows === null ? t('exportLog.writing') : formatNumber(e.rows)}{e.finished || e.rows === null ? null : ` ${t('exportLog.notFinished')}`}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : null}
        <PageButtons first={first} next={next(data?.nextBefore === null || data?.nextBefore === undefined ? null : String(data.nextBefore))} />
      </section>
    );
  }
  return ExportLogPage;
}
