import { api, ApiError, NetworkError, type Problem } from '../api.js';
import { language, t } from '../i18n.js';
import { currentSession } from '../session.js';
import { ErrorBox, useRequest } from '../ui.js';

/**
 * The print and download buttons of a printable page. A print is recorded in the access log
 * before the dialog opens (the page may not be printed at all: what was shown for printing is
 * what is logged). They are hidden on paper.
 */
export function PrintControls({ pathwayId, print, pdf }: { pathwayId: string; print: { kind: 'summary' } | { kind: 'referral-letter'; referralId: string }; pdf?: boolean }) {
  const printing = useRequest();
  const downloading = useRequest();
  const id = encodeURIComponent(pathwayId);
  const printNow = () =>
    printing.run(async () => {
      await api(`/v1/pathways/${id}/prints`, { method: 'POST', body: print });
      window.print();
    });
  const download = () => downloading.run(() => savePdf(`/v1/pathways/${id}/summary.pdf?lang=${language()}`, `pathway-${pathwayId}.pdf`));
  return (
    <div class="print-controls no-print">
      <p class="links">
        <button type="button" onClick={printNow} disabled={printing.busy}>{t('print.print')}</button>
        {pdf ? <button type="button" onClick={download} disabled={downloading.busy}>{downloading.busy ? t('print.downloading') : t('print.download')}</button> : null}
      </p>
      <ErrorBox error={printing.error ?? downloading.error} />
    </div>
  );
}

/**
 * Fetches a file with the session's token (it is no cookie, so a plain link would not carry it)
 * and saves it under `name` through an object URL, let go of once saved.
 */
async function savePdf(path: string, name: string): Promise<void> {
  const session = currentSession();
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/pdf, application/problem+json', ...(session ? { authorization: `Bearer ${session.token}` } : {}) } });
  } catch {
    throw new NetworkError('no answer');
  }
  if (!response.ok) {
    const problem = (await response.json().catch(() => undefined)) as Problem | undefined;
    throw new ApiError(problem ?? { status: response.status, code: 'unknown', title: response.statusText, detail: '' });
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
