import type { ComponentChildren } from 'preact';
import { label, t } from './i18n.js';
import { daysToDuration, durationToDays, isDuration } from './form-validation.js';
import type { Choices, JsonSchema } from './json-schema.js';

export type { Choices, JsonSchema };

type Values = Record<string, unknown>;

/** The shapes of a field that is one of several one-field objects, each an enum: `[field, options]`. */
function shapesOf(schema: JsonSchema): [string, string[]][] | undefined {
  const shapes = schema.anyOf?.map((shape) => Object.entries(shape.properties ?? {}));
  if (!shapes?.length || !shapes.every((fields) => fields.length === 1 && fields[0]![1].enum)) return undefined;
  return shapes.map((fields) => [fields[0]![0], fields[0]![1].enum!]);
}

/** Starting values: nothing chosen. A form never starts from an example: a decision is the person's to make. */
export function initialValues(schema: JsonSchema): Values {
  return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, field]) => [name, field.type === 'array' ? [] : undefined]));
}

/** The payload to send: empty optional fields left out. */
export function payloadOf(values: Values): Values {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && value !== '' && !(Array.isArray(value) && !value.length)));
}

/** The ids of what describes a control: its hint and, while its value is wrong, the message beside it. */
export const describedBy = (id: string, hint: unknown, message: unknown) => [hint ? `${id}-hint` : '', message ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

/** Why a field's value is wrong, beside it, in the user's language. */
export const FieldMessage = ({ id, message }: { id: string; message?: string }) =>
  message ? <small id={`${id}-error`} class="field-error">{message}</small> : null;

/** A labelled field with its hint and its message. */
export function Labelled(props: { id: string; label: string; hint?: string; message?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint ? <small id={`${props.id}-hint`} class="muted">{props.hint}</small> : null}
      <FieldMessage id={props.id} message={props.message} />
    </div>
  );
}

interface FieldProps {
  id: string;
  name: string;
  field: JsonSchema;
  text: string;
  required: boolean;
  value: unknown;
  message?: string;
  set: (name: string, value: unknown) => void;
}

/**
 * One input per property, labelled in the user's language; `idPrefix` keeps ids unique on the page.
 * A field of `fixed` is not asked for: its value is the page's, shown as it is given. `messages`
 * (by field name) show beside their field.
 */
export function SchemaFields(props: {
  schema: JsonSchema;
  values: Values;
  onChange: (values: Values, changed: string) => void;
  idPrefix: string;
  choices?: Choices;
  fixed?: Record<string, ComponentChildren>;
  messages?: Record<string, string>;
}) {
  const { schema, values, onChange, idPrefix, choices = {}, fixed = {}, messages = {} } = props;
  const set = (name: string, value: unknown) => onChange({ ...values, [name]: value }, name);
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([name, field]) => {
        const required = schema.required?.includes(name) ?? false;
        const common: FieldProps = { id: `${idPrefix}-${name}`, name, field, required, value: values[name], message: messages[name], set, text: `${label('field', name)}${required ? ' *' : ''}` };
        if (name in fixed) {
          return (
            <div class="field" key={name}>
              <span>{label('field', name)}</span>
              <span id={common.id}>{fixed[name]}</span>
            </div>
          );
        }
        const known = choices[name];
        // Nothing to choose for a field that may be left out: it is left out (a phase of an operation without phases).
        if (known && !known.length && !required) return null;
        if (known && field.type === 'array') return <ChoiceList key={name} {...common} options={known} />;
        if (known) return <Choose key={name} {...common} options={known} />;
        // A decision is answered yes or no; an optional flag (an estimated date, immunisations known to be up to date) is ticked or left out.
        if (field.type === 'boolean') return required ? <YesNo key={name} {...common} /> : <Flag key={name} {...common} />;
        const shapes = shapesOf(field);
        if (shapes) return <ShapeChoice key={name} {...common} shapes={shapes} />;
        if (field.enum) return <Choose key={name} {...common} options={field.enum.map((value) => ({ value, label: label('value', value) }))} />;
        if (field.type === 'array' && field.items?.enum) {
          return <ChoiceList key={name} {...common} options={field.items.enum.map((value) => ({ value, label: label('value', value) }))} />;
        }
        if (field.type === 'integer' || field.type === 'number') return <NumberField key={name} {...common} min={field.minimum} max={field.maximum} />;
        if (isDuration(field)) return <Days key={name} {...common} />;
        return <TextField key={name} {...common} />;
      })}
    </>
  );
}

/** A select that starts on "choose…": an empty option that is never a valid answer to a required field. */
function Choose(props: FieldProps & { options: { value: string; label: string }[] }) {
  const { id, message } = props;
  const current = String(props.value ?? '');
  const empty = props.options.length ? label('value', props.required ? 'choose' : 'none') : t('common.nothingToChoose');
  return (
    <Labelled id={id} label={props.text} message={message}>
      <select id={id} required={props.required} value={current} aria-invalid={message ? true : undefined} aria-describedby={describedBy(id, undefined, message)}
        onChange={(event) => props.set(props.name, (event.target as HTMLSelectElement).value || undefined)}>
        <option value="">{empty}</option>
        {props.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </Labelled>
  );
}

/** A yes-or-no decision: two radios, neither chosen until the person answers. */
function YesNo(props: FieldProps) {
  const { id, message } = props;
  return (
    <fieldset class="field yes-no" aria-describedby={describedBy(id, undefined, message)}>
      <legend>{props.text}</legend>
      {([true, false] as const).map((answer) => (
        <div class="check" key={String(answer)}>
          <input id={`${id}-${answer ? 'yes' : 'no'}`} type="radio" name={id} required={props.required} checked={props.value === answer}
            aria-invalid={message ? true : undefined} onChange={() => props.set(props.name, answer)} />
          <label for={`${id}-${answer ? 'yes' : 'no'}`}>{t(answer ? 'common.yes' : 'common.no')}</label>
        </div>
      ))}
      <FieldMessage id={id} message={message} />
    </fieldset>
  );
}

/** An optional flag: unticked, it is left out of what is sent. */
function Flag(props: FieldProps) {
  return (
    <div class="field check">
      <input id={props.id} type="checkbox" checked={props.value === true} onChange={(event) => props.set(props.name, (event.target as HTMLInputElement).checked || undefined)} />
      <label for={props.id}>{label('field', props.name)}</label>
    </div>
  );
}

function NumberField(props: FieldProps & { min?: number; max?: number }) {
  const { id, message } = props;
  return (
    <Labelled id={id} label={props.text} message={message}>
      <input id={id} type="number" inputMode="numeric" required={props.required} min={props.min} max={props.max} value={props.value === undefined ? '' : String(props.value)}
        aria-invalid={message ? true : undefined} aria-describedby={describedBy(id, undefined, message)}
        onInput={(event) => {
          const raw = (event.target as HTMLInputElement).value;
          props.set(props.name, raw === '' ? undefined : Number(raw));
        }} />
    </Labelled>
  );
}

/** A deadline as a number of days; the API gets it as an ISO 8601 duration (`P5D`). */
function Days(props: FieldProps) {
  const { id, message } = props;
  const range = props.field['x-days'] ?? {};
  const hint = range.minimum !== undefined && range.maximum !== undefined ? t('pathway.daysHint', { min: range.minimum, max: range.maximum }) : undefined;
  const days = durationToDays(props.value);
  return (
    <Labelled id={id} label={`${label('field', props.name)} (${t('pathway.inDays')})${props.required ? ' *' : ''}`} hint={hint} message={message}>
      <input id={id} type="number" inputMode="numeric" required={props.required} min={range.minimum} max={range.maximum} value={days === undefined ? '' : String(days)}
        aria-invalid={message ? true : undefined} aria-describedby={describedBy(id, hint, message)}
        onInput={(event) => {
          const raw = (event.target as HTMLInputElement).value;
          // A number of days that is not whole is sent as it is typed: the message beside says why it is refused.
          props.set(props.name, raw === '' ? undefined : /^\d+$/.test(raw) ? daysToDuration(Number(raw)) : raw);
        }} />
    </Labelled>
  );
}

function TextField(props: FieldProps) {
  const { id, message, field } = props;
  const list = field.type === 'array';
  const hint = list ? label('field', 'comma-separated') : dateHint(field);
  return (
    <Labelled id={id} label={props.text} hint={hint} message={message}>
      <input id={id} type="text" required={props.required} aria-invalid={message ? true : undefined} aria-describedby={describedBy(id, hint, message)}
        value={list ? ((props.value as string[] | undefined) ?? []).join(', ') : String(props.value ?? '')}
        onInput={(event) => {
          const raw = (event.target as HTMLInputElement).value;
          props.set(props.name, list ? raw.split(',').map((part) => part.trim()).filter(Boolean) : raw || undefined);
        }} />
    </Labelled>
  );
}

/** For a date typed as text: the forms it takes, as its pattern accepts them (DD.MM.YYYY, and a month or year alone for a birth date). */
function dateHint(field: JsonSchema): string | undefined {
  if (!field.pattern) return undefined;
  const pattern = new RegExp(field.pattern);
  if (!pattern.test('31.12.2015')) return undefined;
  return pattern.test('2015') ? t('date.partialHint') : t('date.dayHint');
}

/** A list of which any may be chosen (needs, organisations): one checkbox each, none ticked at first. */
function ChoiceList(props: FieldProps & { options: { value: string; label: string }[] }) {
  const { id, message } = props;
  const chosen = (props.value as string[] | undefined) ?? [];
  return (
    <fieldset id={id} class="field" aria-describedby={describedBy(id, undefined, message)}>
      <legend>{props.text}</legend>
      {props.options.map(({ value, label: text }) => (
        <div class="check" key={value}>
          <input id={`${id}-${value}`} type="checkbox" checked={chosen.includes(value)} aria-invalid={message ? true : undefined}
            onChange={(event) => props.set(props.name, (event.target as HTMLInputElement).checked ? [...chosen, value] : chosen.filter((c) => c !== value))} />
          <label for={`${id}-${value}`}>{text}</label>
        </div>
      ))}
      <FieldMessage id={id} message={message} />
    </fieldset>
  );
}

/** One select for a field that is one of several one-field shapes: the options grouped by shape, the value `{ field: option }`. */
function ShapeChoice(props: FieldProps & { shapes: [string, string[]][] }) {
  const { id, message } = props;
  const chosen = Object.entries((props.value as Values | undefined) ?? {})[0];
  return (
    <Labelled id={id} label={props.text} message={message}>
      <select id={id} required={props.required} value={chosen ? `${chosen[0]}:${String(chosen[1])}` : ''} aria-invalid={message ? true : undefined}
        aria-describedby={describedBy(id, undefined, message)}
        onChange={(event) => {
          const [field, option] = (event.target as HTMLSelectElement).value.split(':');
          props.set(props.name, field && option ? { [field]: option } : undefined);
        }}>
        <option value="">{label('value', 'choose')}</option>
        {props.shapes.map(([field, options]) => (
          <optgroup key={field} label={label('field', `${props.name}.${field}`)}>
            {options.map((option) => <option key={option} value={`${field}:${option}`}>{label('value', option)}</option>)}
          </optgroup>
        ))}
      </select>
    </Labelled>
  );
}
