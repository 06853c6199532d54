import { api } from '../api.js';
import { language, t } from '../i18n.js';
import { saveFile } from '../save-file.js';
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
  const download = () => downloading.run(() => saveFile(`/v1/pathways/${id}/summary.pdf?lang=${language()}`, `pathway-${pathwayId}.pdf`, 'application/pdf'));
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
