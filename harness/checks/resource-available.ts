import { fail, pass, skip, warn, type LifecycleCheck } from './check.js';

/**
 * A record the supplier said it created can be read back at once: the read
 * right after a successful create answers 2xx. A 202 create (accepted, made
 * later), an id the harness read from one of several id fields of the answer
 * (the path may take another) or one it guessed from its own request is not enough to
 * call a 404 a fault: those are warnings that say why. Nor is a 2xx to a
 * guessed id a pass: it may be another record (a skip).
 */
export const resourceAvailable: LifecycleCheck = {
  kind: 'lifecycle',
  step: 'read-created',
  id: 'resource-available',
  scope: 'generic',
  title: 'Created resource can be read',
  description: 'With --allow-writes: a record the run created (the create answered 2xx) answers its GET with a 2xx straight away. A 404 or 410 is a failure where a link or the Location header named the record, or an id field of the answer did (one named as the parameter is, or the only own-id field: id, uuid, slug, documentId, ...); a warning where the create answered 202, where the run took the id from one of several own-id fields with different values (the path may take another, such as documentId in Strapi), or where the supplier never confirmed it (it was sent by the run or written by the document; a 2xx to such an id is not judged either, as it may be another record).',
  run({ response, lifecycle, operation }) {
    const { after, idSource } = lifecycle;
    const created = `${after.method} ${after.url} answered ${after.status}`;
    const expected = `a 2xx for the record ${after.method} created`;
    const actual = String(response.status);
    if (response.status >= 200 && response.status < 300 && idSource === 'request-body') {
      // Record 1 from the document's example may be someone else's: a 2xx does not show the run's own record.
      return skip(`${created} but did not confirm which record it made; a record with the id the run used (which it sent, or the document wrote) reads back (${response.status}), but it may not be the one the run created`);
    }
    if (response.status >= 200 && response.status < 300) return pass(`the created record reads back: ${created}, then ${operation.method} answered ${response.status}`);
    if (response.status !== 404 && response.status !== 410) {
      // A 5xx is server-error's, a 401/403 or another 4xx is status-code's: one defect, one failure.
      return skip(`the read-back answered ${response.status}, which says nothing about whether the record exists (judged by status-code or server-error)`);
    }
    if (after.status === 202) return warn(`${created} (accepted, not yet done) and the read-back answered ${response.status}: the record may not exist yet`, { expected, actual });
    if (idSource === 'request-body') {
      return warn(`${created} but did not confirm which record it made; the read-back with the id the run used (which it sent, or the document wrote) answered ${response.status}, so the supplier may have stored it under another id`, { expected, actual });
    }
    const others = lifecycle.otherIdFields ?? [];
    if (idSource === 'response-body' && others.length > 0) {
      // The run's reading of the answer, not the supplier's word: the path may take another of its fields.
      const fields = others.map((f) => `\`${f}\``).join(', ');
      return warn(
        `${created}, and the read-back with the id the run took from a field of its answer answered ${response.status}; the answer also holds ${fields}, which the path may take instead (a link on the create's response, such as $response.body#/${others[0]}, would say which), so the record is not shown missing; the run sent no update or DELETE to that id`,
        { expected, actual },
      );
    }
    // The only id the answer gave (or the supplier's own link or Location) reads as nothing.
    return fail(`${created}, but reading the record back answered ${response.status}: the supplier said it created a record it cannot find`, { expected, actual });
  },
};
