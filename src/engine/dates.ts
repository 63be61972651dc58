// Calendar days as integers (days since 1970-01-01, proleptic Gregorian). No Date in local time
// anywhere in the domain: answers speak of calendar days, so time zones and DST must not exist here.

export type Day = number;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  return MONTH_DAYS[month - 1] ?? 0;
}

export function isValidDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) &&
    year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

/** Days since 1970-01-01 (Howard Hinnant's days_from_civil). */
export function toDay(year: number, month: number, day: number): Day {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function fromDay(d: Day): { year: number; month: number; day: number } {
  const z = d + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function formatDay(d: Day): string {
  const { year, month, day } = fromDay(d);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a strict `YYYY-MM-DD`; undefined when it is not one or names an impossible day. */
export function parseIsoDay(text: string): Day | undefined {
  const m = ISO_DAY.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isValidDate(y, mo, d) ? toDay(y, mo, d) : undefined;
}

export function monthStart(year: number, month: number): Day {
  return toDay(year, month, 1);
}

export function monthEnd(year: number, month: number): Day {
  return toDay(year, month, daysInMonth(year, month));
}

// Records' ISO days are read many times (each summary cell, each compare period): parse each
// distinct string once. Distinct days are few (thousands), so the cache stays small.
const dayCache = new Map<string, Day>();

/** Day number of a `YYYY-MM-DD` string already validated by the schema (cached). */
export function dayOf(iso: string): Day {
  let d = dayCache.get(iso);
  if (d === undefined) {
    d = parseIsoDay(iso);
    if (d === undefined) throw new Error(`internal: invalid ISO day ${iso}`);
    dayCache.set(iso, d);
  }
  return d;
}
