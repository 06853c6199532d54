import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { label, t } from './i18n.js';
import { Field } from './ui.js';

/**
 * The parts of JSON Schema the API's payloads use: flat objects of enums, integers, booleans, ids
 * and lists; a choice between one-field shapes (a referral's consent); an object of free keys.
 */
export interface JsonSchema {
  type?: string;
  enum?: string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  anyOf?: JsonSchema[];
}

type Values = Record<string, unknown>;
/** Options a page knows for a field the schema leaves open (a referral, an organisation, a colleague): chosen, never typed. */
export type Choices = Record<string, { value: string; label: string }[]>;

/** The shapes of a field that is one of several one-field objects, each an enum: `[field, options]`. */
function shapesOf(schema: JsonSchema): [string, string[]][] | undefined {
  const shapes = schema.anyOf?.map((shape) => Object.entries(shape.properties ?? {}));
  if (!shapes?.length || !shapes.every((fields) => fields.length === 1 && fields[0]![1].enum)) return undefined;
  return shapes.map((fields) => [fields[0]![0], fields[0]![1].enum!]);
}

function emptyValue(schema: JsonSchema): unknown {
  if (schema.type === 'boolean') return false;
  if (schema.type === 'array') return [];
  return undefined;
}

/** Starting values: the example the pathway offers, else empty. */
export function initialValues(schema: JsonSchema, example: Values = {}): Values {
  return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, field]) => [name, example[name] ?? emptyValue(field)]));
}

/** The payload to send: empty optional fields left out. */
export function payloadOf(values: Values): Values {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && value !== ''));
}

/**
 * One input per property, labelled in the user's language; `idPrefix` keeps ids unique on the page.
 * A field of `fixed` is not asked for: its value is the page's, shown as it is given.
 */
export function SchemaFields(props: { schema: JsonSchema; values: Values; onChange: (values: Values) => void; idPrefix: string; choices?: Choices; fixed?: Record<string, ComponentChildren> }) {
  const { schema, values, onChange, idPrefix, choices = {}, fixed = {} } = props;
  const set = (name: string, value: unknown) => onChange({ ...values, [name]: value });
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([name, field]) => {
        const id = `${idPrefix}-${name}`;
        const required = schema.required?.includes(name) ?? false;
        const text = `${label('field', name)}${required ? ' *' : ''}`;
        if (field.type === 'boolean') {
          return (
            <div class="field check" key={name}>
              <input id={id} type="checkbox" checked={values[name] === true} onChange={(event) => set(name, (event.target as HTMLInputElement).checked)} />
              <label for={id}>{label('field', name)}</label>
            </div>
          );
        }
        if (name in fixed) {
          return (
            <div class="field" key={name}>
              <span>{label('field', name)}</span>
              <span id={id}>{fixed[name]}</span>
            </div>
          );
        }
        const known = choices[name];
        // Nothing to choose for a field that may be left out: it is left out (a phase of an operation without phases).
        if (known && !known.length && !required) return null;
        if (known && field.type === 'array') return <ChoiceList key={name} id={id} name={name} options={known} values={values} set={set} />;
        if (known) {
          const current = String(values[name] ?? '');
          const options = known.some((o) => o.value === current) || !current ? known : [{ value: current, label: current }, ...known];
          return (
            <Field id={id} label={text} key={name}>
              <select id={id} required={required} value={current} onChange={(event) => set(name, (event.target as HTMLSelectElement).value || undefined)}>
                <option value="">{known.length ? label('value', required ? 'choose' : 'none') : t('common.nothingToChoose')}</option>
                {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
              </select>
            </Field>
          );
        }
        const shapes = shapesOf(field);
        if (shapes) return <ShapeChoice key={name} id={id} name={name} text={text} required={required} shapes={shapes} value={values[name]} set={set} />;
        if (field.type === 'object' && !field.properties) {
          return <JsonObject key={name} id={id} name={name} text={`${label('field', name)} (JSON)${required ? ' *' : ''}`} value={values[name]} set={set} />;
        }
        if (field.enum) {
          return (
            <Field id={id} label={text} key={name}>
              <select id={id} required={required} value={String(values[name] ?? '')} onChange={(event) => set(name, (event.target as HTMLSelectElement).value || undefined)}>
                <option value="">{required ? label('value', 'choose') : label('value', 'none')}</option>
                {field.enum.map((value) => (
                  <option key={value} value={value}>
                    {label('value', value)}
                  </option>
                ))}
              </select>
            </Field>
          );
        }
        if (field.type === 'array' && field.items?.enum) {
          return <ChoiceList key={name} id={id} name={name} options={field.items.enum.map((value) => ({ value, label: label('value', value) }))} values={values} set={set} />;
        }
        if (field.type === 'integer' || field.type === 'number') {
          return (
            <Field id={id} label={text} key={name}>
              <input id={id} type="number" required={required} min={field.minimum} max={field.maximum} value={values[name] === undefined ? '' : String(values[name])}
                onInput={(event) => {
                  const raw = (event.target as HTMLInputElement).value;
                  set(name, raw === '' ? undefined : Number(raw));
                }} />
            </Field>
          );
        }
        const list = field.type === 'array';
        const hint = list ? label('field', 'comma-separated') : dateHint(field);
        return (
          <Field id={id} label={text} key={name} hint={hint}>
            <input id={id} type="text" required={required} aria-describedby={hint ? `${id}-hint` : undefined}
              value={list ? ((values[name] as string[] | undefined) ?? []).join(', ') : String(values[name] ?? '')}
              onInput={(event) => {
                const raw = (event.target as HTMLInputElement).value;
                set(name, list ? raw.split(',').map((part) => part.trim()).filter(Boolean) : raw || undefined);
              }} />
          </Field>
        );
      })}
    </>
  );
}

/** For a date typed as text: the forms it takes, as its pattern accepts them (DD.MM.YYYY, and a month or year alone for a birth date). */
function dateHint(field: JsonSchema): string | undefined {
  if (!field.pattern) return undefined;
  const pattern = new RegExp(field.pattern);
  if (!pattern.test('31.12.2015')) return undefined;
  return pattern.test('2015') ? t('date.partialHint') : t('date.dayHint');
}

/** A list of which any may be chosen (needs, organisations): one checkbox each. */
function ChoiceList(props: { id: string; name: string; options: { value: string; label: string }[]; values: Values; set: (name: string, value: unknown) => void }) {
  const chosen = (props.values[props.name] as string[] | undefined) ?? [];
  return (
    <fieldset class="field">
      <legend>{label('field', props.name)}</legend>
      {props.options.map(({ value, label: text }) => (
        <div class="check" key={value}>
          <input id={`${props.id}-${value}`} type="checkbox" checked={chosen.includes(value)}
            onChange={(event) => props.set(props.name, (event.target as HTMLInputElement).checked ? [...chosen, value] : chosen.filter((c) => c !== value))} />
          <label for={`${props.id}-${value}`}>{text}</label>
        </div>
      ))}
    </fieldset>
  );
}

/** One select for a field that is one of several one-field shapes: the options grouped by shape, the value `{ field: option }`. */
function ShapeChoice(props: { id: string; name: string; text: string; required: boolean; shapes: [string, string[]][]; value: unknown; set: (name: string, value: unknown) => void }) {
  const chosen = Object.entries((props.value as Values | undefined) ?? {})[0];
  return (
    <Field id={props.id} label={props.text}>
      <select id={props.id} required={props.required} value={chosen ? `${chosen[0]}:${String(chosen[1])}` : ''}
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
    </Field>
  );
}

/** An object of free keys (a correction's payload) as JSON text: the form is not sent while it does not read as an object. */
function JsonObject(props: { id: string; name: string; text: string; value: unknown; set: (name: string, value: unknown) => void }) {
  const written = (value: unknown) => (value === undefined ? '' : JSON.stringify(value, null, 2));
  const [text, setText] = useState(written(props.value));
  const [invalid, setInvalid] = useState(false);
  // Values set from outside (an example, another action) replace the text; the person's own typing does not come back here.
  useEffect(() => {
    if (!invalid && written(readObject(text)) !== written(props.value)) setText(written(props.value));
  }, [props.value]);
  return (
    <Field id={props.id} label={props.text} hint={t('common.jsonHint')}>
      <textarea id={props.id} rows={5} spellcheck={false} aria-describedby={`${props.id}-hint`} aria-invalid={invalid} value={text}
        onInput={(event) => {
          const area = event.target as HTMLTextAreaElement;
          const parsed = readObject(area.value);
          setText(area.value);
          setInvalid(parsed === undefined);
          area.setCustomValidity(parsed === undefined ? t('common.invalidJson') : '');
          if (parsed !== undefined) props.set(props.name, parsed);
        }} />
    </Field>
  );
}

function readObject(text: string): Values | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Values) : undefined;
  } catch {
    return undefined;
  }
}
