import type { Report } from './report-types.js';

/**
 * The URL of a record the run created and deleted (its report's
 * `cleanup.deleted`) whose path `url`'s is, or lies under
 * (`…/incidents/4/officer`, `…/incidents/4?expand=x`); undefined for any
 * other URL. Paths only: a query (an API key in it, redacted one way in the
 * cleanup and another in evidence) says nothing about which record it is.
 * Such a request is not to be sent again: the id may now name another
 * record (SQLite gives a freed id to the next one), or nothing.
 *
 * @example
 *   deletedRecordAt({ cleanup: { created: 1, deleted: ['https://x/books/4'], leftBehind: [] } }, 'https://x/books/4'); // 'https://x/books/4'
 */
export function deletedRecordAt(report: Pick<Report, 'cleanup'>, url: string): string | undefined {
  const path = withoutQuery(url);
  return report.cleanup?.deleted.find((record) => {
    const recordPath = withoutQuery(record).replace(/\/+$/, '');
    return path.replace(/\/+$/, '') === recordPath || path.startsWith(`${recordPath}/`);
  });
}

/** Why a request to a record the run deleted is not to be repeated, as every format says it. */
export function deletedRecordNote(deleted: string): string {
  return `Do not send this request again: it went to a record the run created and then deleted (${deleted}), and that id may now name another record, someone else's. A new run with --allow-writes judges it on a record of its own.`;
}

/** Origin and path of a URL as text, without its query or fragment. */
function withoutQuery(url: string): string {
  return url.replace(/[?#].*$/s, '');
}
