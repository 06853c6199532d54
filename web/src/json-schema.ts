/**
 * The parts of JSON Schema the API's payloads use: flat objects of enums, integers, booleans, ids
 * and lists; a choice between one-field shapes (a referral's consent); a deadline in days.
 */
export interface JsonSchema {
  type?: string;
  enum?: string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  /** `duration`: an ISO 8601 duration the console asks for as a number of days (`x-days` its range). */
  format?: string;
  'x-days'?: { minimum?: number; maximum?: number };
  anyOf?: JsonSchema[];
}

/** Options a page knows for a field the schema leaves open (a referral, an organisation, a colleague): chosen, never typed. */
export type Choices = Record<string, { value: string; label: string }[]>;
