const ISO_DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const DAY = 86_400;
// Calendar-free: a month counts 30 days and a year 365, which is what durations in templates mean.
const UNIT_SECONDS = [365 * DAY, 30 * DAY, 7 * DAY, DAY, 3600, 60, 1];

export function isIsoDuration(text: string): boolean {
  return ISO_DURATION.test(text);
}

/** Seconds in an ISO 8601 duration such as P30D, P1Y6M or PT12H. */
export function durationSeconds(text: string): number {
  const match = ISO_DURATION.exec(text);
  if (!match) throw new Error(`not an ISO 8601 duration: ${text}`);
  return UNIT_SECONDS.reduce((total, unit, i) => total + Number(match[i + 1] ?? 0) * unit, 0);
}
