import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { ErrorBox, Loading } from '../ui.js';
import type { ExportProps } from './export-form.js';
import { kit } from './kit.js';

/**
 * "Export this list": the form (export-form.tsx) is fetched when first opened, so the many who
 * never export do not load it with every page.
 */
export function ExportControls(props: ExportProps) {
  const [form, setForm] = useState<{ Form: (p: ExportProps) => JSX.Element }>();
  const [error, setError] = useState<unknown>();
  const opened = (event: Event) => {
    if (!(event.currentTarget as HTMLDetailsElement).open || form) return;
    import('./export-form.js').then((m) => setForm({ Form: m.exportForm(kit) }), setError);
  };
  return (
    <details class="export-controls no-print" onToggle={opened}>
      <summary>{props.titled ? t('export.titleOf', { list: t(`export.list.${props.list}`) }) : t('export.title')}</summary>
      {form ? <form.Form {...props} /> : error ? <ErrorBox error={error} /> : <Loading />}
    </details>
  );
}
