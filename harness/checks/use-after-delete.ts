import { fail, pass, skip, warn, type LifecycleCheck } from './check.js';

/**
 * A deleted record is gone: the read right after a successful DELETE answers
 * 404 or 410, documented or not (the status-code check says whether the
 * document lists it). A 2xx is a record still served after the supplier said
 * it removed it; after a 202 (deletion accepted, done later) only a warning.
 */
export const useAfterDelete: LifecycleCheck = {
  kind: 'lifecycle',
  step: 'read-deleted',
  id: 'use-after-delete',
  scope: 'generic',
  title: 'Deleted resource is gone',
  description: 'With --allow-writes: after the DELETE of a record the run created answered 2xx, reading that record answers 404 or 410 (documented or not). A 2xx is a failure (a 202 delete only a warning); a 5xx is server-error\'s.',
  run({ response, lifecycle, operation }) {
    const { after } = lifecycle;
    const deleted = `${after.method} ${after.url} answered ${after.status}`;
    const expected = '404 or 410 for the deleted record';
    const actual = String(response.status);
    if (response.status === 404 || response.status === 410) return pass(`the deleted record is gone: ${deleted}, then ${operation.method} answered ${response.status}`);
    if (response.status >= 200 && response.status < 300) {
      if (after.status === 202) return warn(`${deleted} (accepted, not yet done) and the record still reads (${response.status}): it may be removed later`, { expected, actual });
      return fail(`${deleted}, but the record still reads (${response.status}): a deleted record is still served`, { expected, actual });
    }
    // A 5xx is server-error's; a 401/403 says nothing about the record.
    return skip(`the read after the delete answered ${response.status}, which says nothing about whether the record is gone (judged by status-code or server-error)`);
  },
};
