import t from 'tap';
import { isoDates } from '../../harness/checks/iso-dates.js';
import type { CheckContext } from '../../harness/checks/check.js';

/** The check on one JSON body, as a run would give it. */
function judge(value: unknown) {
  const body = Buffer.from(JSON.stringify(value));
  const context = { method: 'GET', response: { status: 200, headers: {}, body }, json: () => ({ ok: true, value }) } as unknown as CheckContext;
  return isoDates.run(context);
}

t.test('iso-dates judges what is meant as a date under a date-like name, not every value of one', async (t) => {
  // Found with Prism on Azure's web-apps document: `alwaysOn: true` failed as "not ISO 8601"; so did `dependsOn`'s names,
  // Google's `dateFormat: "DD/MM/YYYY"` and Ticketmaster's `dateTBA: false`.
  const flags = { alwaysOn: true, isUpToDate: false, dateTBA: false, dependsOn: ['db', 'cache'], dateFormat: 'DD/MM/YYYY', createdAt: '2026-12-08T01:00:00Z', dateOfBirth: '1990-01-01' };
  t.match(await judge(flags), { status: 'pass', message: '2 date/time values, all ISO 8601' });
  t.match(await judge({ alwaysOn: true, dateFormat: 'long' }), { status: 'skip', message: 'no date or time fields in this response' });
  // Still failed: a date in another order, epoch seconds, a date-time without a zone.
  const wrong = await judge({ dateOfBirth: '01/01/1990', createdAt: 1733619600, updatedOn: '2026-12-08 01:00:00', alwaysOn: true });
  t.match(wrong, { status: 'fail', message: /^3 date\/time values are not ISO 8601: \/dateOfBirth: "01\/01\/1990"; \/createdAt: 1733619600; \/updatedOn: "2026-12-08 01:00:00"$/ });
});
