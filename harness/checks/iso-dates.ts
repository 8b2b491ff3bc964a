import { isRecord, joinPointer } from '../json-pointer.js';
import { fail, pass, skip, type ResponseCheck } from './check.js';

/**
 * Names that promise a date or a point in time: `dateOfBirth`, `reviewDate`,
 * `createdAt`, `occurredOn`, `timestamp`. Not `…Time`: `responseTime` is as
 * likely a duration.
 */
const DATE_NAME = /(^date$|^date[A-Z_]|Date$|DateTime$|At$|On$|^timestamp$|Timestamp$|_at$|_on$|_date$)/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/;
const MAX_NODES = 100_000;
const SHOWN = 5;

/**
 * Whether a value under a date-like name is meant as a date or time at all: a
 * number (epoch seconds, which the standard rules out) or text with a digit in
 * it. Names alone misled: Azure's `alwaysOn: true` and `dependsOn: ["db"]`,
 * Google's `dateFormat: "DD/MM/YYYY"`, Ticketmaster's `dateTBA: false` were
 * failed as dates that are not ISO 8601.
 */
function triesToBeADate(value: unknown): boolean {
  return typeof value === 'number' || (typeof value === 'string' && /\d/.test(value));
}

/**
 * GDS API standards: dates and times are ISO 8601 (RFC 3339 profile), never
 * `23/11/2026` or epoch seconds. Judges fields whose names promise a date or
 * time; `format: date`/`date-time` fields are also held to it by response-schema.
 */
export const isoDates: ResponseCheck = {
  kind: 'response',
  id: 'iso-dates',
  scope: 'profile',
  title: 'ISO 8601 dates',
  description: 'Every value of a field named like a date or point in time (date…, …Date, …At, …On, timestamp) that holds a number or text with a digit in it is an ISO 8601 date (YYYY-MM-DD) or RFC 3339 date-time with a zone; a boolean, or text without a digit (a flag, a name, a format string), is no date.',
  run({ method, response, json }) {
    if (method === 'HEAD' || response.body.length === 0) return skip('no body');
    const body = json();
    if (!body.ok) return skip('body is not valid JSON (response-schema reports it)');
    const wrong: string[] = [];
    let seen = 0;
    let nodes = 0;
    const walk = (value: unknown, pointer: string, name: string | undefined): void => {
      if (nodes++ > MAX_NODES) return;
      if (Array.isArray(value)) return value.forEach((item, i) => walk(item, joinPointer(pointer, i), name));
      if (isRecord(value)) {
        // A GeoJSON or other nested object under a date-like name is not a date.
        for (const [key, child] of Object.entries(value)) walk(child, joinPointer(pointer, key), key);
        return;
      }
      if (name === undefined || !DATE_NAME.test(name) || !triesToBeADate(value)) return;
      seen++;
      if (typeof value !== 'string' || !(ISO_DATE.test(value) || ISO_DATE_TIME.test(value))) {
        wrong.push(`${pointer}: ${JSON.stringify(value).slice(0, 40)}`);
      }
    };
    walk(body.value, '', undefined);
    if (seen === 0) return skip('no date or time fields in this response');
    if (wrong.length > 0) {
      const more = wrong.length > SHOWN ? ` (and ${wrong.length - SHOWN} more)` : '';
      return fail(`${wrong.length} date/time value${wrong.length === 1 ? ' is' : 's are'} not ISO 8601: ${wrong.slice(0, SHOWN).join('; ')}${more}`, {
        expected: 'YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ',
        actual: wrong[0]!,
      });
    }
    return pass(`${seen} date/time value${seen === 1 ? '' : 's'}, all ISO 8601`);
  },
};
