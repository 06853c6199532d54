import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../session.js';
import { t } from '../i18n.js';
import { ErrorBox, Loading, PageTitle } from '../ui.js';
import { consoleConfig } from '../console-config.js';
import { CohortPage } from './cohort.js';
import { DuplicateReviewPage } from './duplicates.js';
import { EmergencyReviewPage } from './emergency.js';
import { FamilyGroupPage } from './family.js';
import { HistoryPage } from './history.js';
import { InboxPage } from './inbox.js';
import { OpenPage } from './open.js';
import { PathwayPage } from './pathway.js';
import { PathwaysPage } from './pathways.js';
import { PeoplePage } from './people.js';
import { ReferralLetterPage } from './referral-letter.js';
import { SummaryPage } from './summary.js';
import { WorklistPage } from './worklist.js';
import { kit } from './kit.js';
import { ExportControls } from './export-controls.js';

/** A page fetched when first opened: it is not in the script every page load pays for. */
function Later<P>({ load, show }: { load: () => Promise<P>; show: (page: P) => JSX.Element }) {
  const [page, setPage] = useState<{ loaded: P }>();
  const [error, setError] = useState<unknown>();
  useEffect(() => void load().then((loaded) => setPage({ loaded }), setError), []);
  if (page) return show(page.loaded);
  return error ? <ErrorBox error={error} /> : <Loading />;
}

/** Each role's first page: what waits for them. */
export function homeOf(session: Session): string[] {
  return { coordinator: ['pathways'], staff: ['worklist'], supervisor: ['approvals'] }[session.actor.role];
}

export function Pages({ session, route }: { session: Session; route: string[] }) {
  const [page, id, sub, subId, subPage] = route;
  const role = session.actor.role;
  switch (page) {
    case 'pathways':
      if (id && sub === 'history' && role === 'supervisor') return <HistoryPage id={id} key={id} />;
      if (id && sub === 'family') return <FamilyGroupPage id={id} key={id} />;
      if (id && sub === 'summary') return <SummaryPage id={id} session={session} key={id} />;
      if (id && sub === 'referrals' && subId && subPage === 'letter') return <ReferralLetterPage id={id} referralId={subId} session={session} key={`${id}/${subId}`} />;
      if (id) return <PathwayPage id={id} session={session} key={id} />;
      if (role !== 'staff') return <PathwaysPage />;
      break;
    case 'open':
      if (role === 'coordinator') return <OpenPage />;
      break;
    case 'cohort':
      if (role === 'coordinator') return <CohortPage />;
      break;
    case 'worklist':
      return <WorklistPage kind="all" key="all" />;
    case 'approvals':
      if (role === 'supervisor') return <WorklistPage kind="approvals" key="approvals" />;
      break;
    case 'inbox':
      return <InboxPage />;
    case 'people':
      return <PeoplePage />;
    case 'reports':
      if (role !== 'supervisor') break;
      if (id === 'indicators') return <Later load={() => import('./indicators.js').then((m) => m.indicatorsPage({ ...kit, ExportControls }))} show={(Page) => <Page />} key={id} />;
      if (id === 'statistics') {
        return <Later load={() => import('./statistics.js').then((m) => m.statisticsPage({ ...kit, ExportControls }))} show={(Page) => <Page oversight={session.actor.org === consoleConfig().oversightOrg} />} key={id} />;
      }
      if (id === 'exports') return <Later load={() => import('./export-log.js').then((m) => m.exportLogPage(kit))} show={(Page) => <Page />} key={id} />;
      if (!id) return <Later load={() => import('./reports.js').then((m) => m.reportsPage({ ...kit, ExportControls }))} show={(ReportsPage) => <ReportsPage />} key="reports" />;
      break;
    case 'webhooks':
      if (role === 'supervisor') {
        return <Later load={() => import('./webhooks.js').then((m) => m.webhookPages(kit))} show={(pages) => (id ? <pages.WebhookDeliveriesPage id={id} /> : <pages.WebhooksPage />)} key={id} />;
      }
      break;
    case 'emergency-review':
      if (role === 'supervisor' && session.actor.org === consoleConfig().oversightOrg) return <EmergencyReviewPage />;
      break;
    case 'mail-settings':
      return <Later load={() => import('./mail.js').then((m) => m.mailPages(kit))} show={(pages) => <pages.MailSettingsPage />} key="mail-settings" />;
    case 'dev':
      if (id === 'mail' && consoleConfig().mode === 'development') return <Later load={() => import('./mail.js').then((m) => m.mailPages(kit))} show={(pages) => <pages.DevMailPage />} key="dev-mail" />;
      break;
    case 'duplicate-review':
      if (role === 'supervisor' && session.actor.org === consoleConfig().oversightOrg) return <DuplicateReviewPage />;
      break;
  }
  return <PageTitle>{t('common.notFound')}</PageTitle>;
}
