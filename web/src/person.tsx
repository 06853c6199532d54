import type { ShownPerson } from '../../src/domain/person-shown.js';
import { formatDate, t } from './i18n.js';
import { href } from './router.js';
import { Free } from './ui.js';

/** Who a pathway is for, as the API's lists answer it: the server's own type (initials when the name is hidden). */
export type { ShownPerson };

/** The start of a pathway id: with initials, enough to tell two hidden names apart and find the pathway again. */
export const shortId = (id: string) => id.slice(0, 8);

/** A birth date as known: a whole date in the language's way, a month or year as it is; "est." when estimated. */
export function birthText(birthDate: string, estimated: boolean): string {
  const shown = birthDate.length === 10 ? formatDate(birthDate) : birthDate;
  return estimated ? t('person.estimatedBirth', { date: shown }) : shown;
}

/** The pathway's link, named after its person: a hidden name as initials with a short id, and marked. */
export function PersonLink({ id, person }: { id: string; person: ShownPerson }) {
  return (
    <>
      <a href={href('pathways', id)} class="person">
        <Free>{person.name}</Free>
        {person.nameHidden ? <span class="muted"> · {t('person.shortId', { id: shortId(id) })}</span> : null}
      </a>
      {person.nameHidden ? <span class="badge">{t('hiddenName.marker')}</span> : null}
    </>
  );
}

/** Birth date and age on one line, under a name. */
export const BirthAndAge = ({ person }: { person: ShownPerson }) => (
  <span class="muted born">{t('person.bornAge', { birth: birthText(person.birthDate, person.birthDateEstimated), age: person.age })}</span>
);

/** A table cell that says who it is: the name (the pathway's link), birth date and age, and what else the row adds. */
export function PersonCell({ id, person, extra }: { id: string; person: ShownPerson; extra?: string }) {
  return (
    <td class="who">
      <PersonLink id={id} person={person} />
      <br />
      <BirthAndAge person={person} />
      {extra ? <><br /><span class="muted">{extra}</span></> : null}
    </td>
  );
}
