/**
 * Names of fields that identify a person. They are stored once, in PostgreSQL, and must never
 * reach a log line, a workflow payload, a search attribute or a report.
 */
export const PERSONAL_FIELDS = [
  'givenName',
  'familyName',
  'patronymic',
  'birthDate',
  'birthPlace',
  'documentNumber',
  'documents',
  'address',
  'placementAddress',
  'phone',
  'medicalNotes',
  'notes',
  'note',
] as const;
