import t from 'tap';
import { walkCollection } from '../../harness/export/collection-walk.js';
import { exportTransportFor } from '../support/export-transport.js';
import { startServer } from '../http/test-server.js';

/**
 * export-completeness walks the list endpoints with the run's credentials, in read-only runs
 * too: a next link to a path named as an action (`/v1/persons:destroy?filterByTk=1`) ends
 * the walk, incomplete; one to another path that names none is a page (fourth review).
 */
const document = { paths: { '/v1/persons': { get: { 'x-interop-pagination': { next: '/links/next', items: '/data' } } } } };

t.test('a next link to an action is not followed; one to another page is', async (t) => {
  let next = '/v1/persons:destroy?filterByTk=1';
  const server = await startServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    const path = new URL(req.url!, 'http://x').pathname;
    res.end(JSON.stringify(path === '/v1/persons' ? { data: [{ id: 1 }], links: { next } } : { data: [{ id: 2 }], links: {} }));
  });
  t.teardown(server.close);
  const action = await walkCollection(exportTransportFor(t, server.origin), document, '/v1/persons');
  t.same(server.requests.map((r) => r.url), ['/v1/persons'], 'nothing sent to /v1/persons:destroy');
  t.match(action, { ok: true, complete: false });
  t.match(JSON.stringify(action), /was not followed: it goes to \/v1\/persons:destroy, which is named as a change/);
  next = '/v1/people/?page=2';
  const page = await walkCollection(exportTransportFor(t, server.origin), document, '/v1/persons');
  t.match(page, { ok: true, complete: true, pages: 2 });
});

t.test('only what a next link changes is judged, and its query too', async (t) => {
  // Fifth review: the base path and shared ids were judged (`/sync/...`, `/post/1/...`), and the query was not.
  let next = '';
  const server = await startServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    const url = new URL(req.url!, 'http://x');
    const first = url.pathname === '/sync/v1/post/1/persons' && url.search === '';
    res.end(JSON.stringify(first ? { data: [{ id: 1 }], links: { next } } : { data: [{ id: 2 }], links: {} }));
  });
  t.teardown(server.close);
  const nested = { paths: { '/sync/v1/post/1/persons': document.paths['/v1/persons'] } };
  next = '/sync/v1/post/1/people?page=2';
  t.match(await walkCollection(exportTransportFor(t, server.origin), nested, '/sync/v1/post/1/persons'), { ok: true, complete: true, pages: 2 }, 'a shared base path and id are no action');
  next = '/sync/v1/post/1/persons?method=SitesManager.deleteSite&idSite=1';
  const before = server.requests.length;
  const refused = await walkCollection(exportTransportFor(t, server.origin), nested, '/sync/v1/post/1/persons');
  t.equal(server.requests.length, before + 1, 'only the first page');
  t.match(JSON.stringify(refused), /its query parameter method is \\"SitesManager.deleteSite\\", which names a change/);
});
