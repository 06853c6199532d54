import { label } from './i18n.js';
import { Field } from './ui.js';

/** The parts of JSON Schema the API's payloads use: flat objects of enums, integers, booleans, ids and lists. */
export interface JsonSchema {
  type?: string;
  enum?: string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

type Values = Record<string, unknown>;

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

/** One input per property, labelled in the user's language; `idPrefix` keeps ids unique on the page. */
export function SchemaFields(props: { schema: JsonSchema; values: Values; onChange: (values: Values) => void; idPrefix: string }) {
  const { schema, values, onChange, idPrefix } = props;
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
        if (field.type === 'array' && field.items?.enum) return <EnumList key={name} id={id} name={name} options={field.items.enum} values={values} set={set} />;
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
        return (
          <Field id={id} label={text} key={name} hint={list ? label('field', 'comma-separated') : undefined}>
            <input id={id} type="text" required={required} aria-describedby={list ? `${id}-hint` : undefined}
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

function EnumList(props: { id: string; name: string; options: string[]; values: Values; set: (name: string, value: unknown) => void }) {
  const chosen = (props.values[props.name] as string[] | undefined) ?? [];
  return (
    <fieldset class="field">
      <legend>{label('field', props.name)}</legend>
      {props.options.map((option) => (
        <div class="check" key={option}>
          <input id={`${props.id}-${option}`} type="checkbox" checked={chosen.includes(option)}
            onChange={(event) => props.set(props.name, (event.target as HTMLInputElement).checked ? [...chosen, option] : chosen.filter((c) => c !== option))} />
          <label for={`${props.id}-${option}`}>{label('value', option)}</label>
        </div>
      ))}
    </fieldset>
  );
}
