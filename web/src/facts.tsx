import { isKnownOrganisation, Org } from './directory.js';
import { formatDate, has, label, t } from './i18n.js';
import { said } from './says.js';
import { Free, joined } from './ui.js';

const DATE = /^\d{4}-\d{2}-\d{2}(T|$)/;

/** A word of the domain translated, a date in the user's way, anything else as it is. */
export function valueText(value: unknown): string {
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  if (typeof value === 'string') {
    if (DATE.test(value)) return formatDate(value, value.length > 10);
    return has(`value.${value}`) ? label('value', value) : said(value);
  }
  return String(value);
}

/** Fields that name organisations: shown by their names in the directory. */
const ORGANISATION_FIELDS = new Set(['to', 'from', 'org', 'organisation', 'organisations']);

/** A recorded value: what is not a word of the domain or a date came from someone, and is isolated. */
export function Value({ value, field }: { value: unknown; field?: string }) {
  if (Array.isArray(value)) return <>{joined(value.map((v) => <Value value={v} field={field} />))}</>;
  // A field of a field may have its own name there (a referral's `consent.by`: given by, not declined by).
  if (value !== null && typeof value === 'object') {
    return <>{joined(Object.entries(value).map(([name, v]) => <Fact name={field && has(`field.${field}.${name}`) ? `${field}.${name}` : name} value={v} />), '; ')}</>;
  }
  if (typeof value === 'string' && field && ORGANISATION_FIELDS.has(field) && isKnownOrganisation(value)) return <Org id={value} />;
  if (typeof value === 'string' && !DATE.test(value) && !has(`value.${value}`)) return <Free>{said(value)}</Free>;
  return <>{valueText(value)}</>;
}

/** A recorded fact (`field: value`), for a stage's details and an audit entry's outcome. */
export const Fact = ({ name, value }: { name: string; value: unknown }) => (
  <>
    {label('field', name)}: <Value value={value} field={name} />
  </>
);

/** Several facts, separated by semicolons. */
export const Facts = ({ facts }: { facts: Record<string, unknown> }) => <>{joined(Object.entries(facts).map(([name, value]) => <Fact name={name} value={value} />), '; ')}</>;

/** What a stage holds, a fact a line: the pathway's page and its printed summary show it alike. */
export function StageDetails({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details);
  if (!entries.length) return null;
  return (
    <ul class="details" aria-label={t('pathway.details')}>
      {entries.map(([name, value]) => <li key={name}><Fact name={name} value={value} /></li>)}
    </ul>
  );
}
