// The supplier's published OpenAPI document is parsed with the profile's bounds:
// an alias bomb by size, a duplicate key and a document that is not an object are
// reasons to look further, never a crash or an unbounded expansion.
import t from 'tap';
import { fetchPublishedDocument } from '../../harness/run/published-document.js';
import { clientFor, serve, testLimits } from '../http/test-server.js';

const good = JSON.stringify({ openapi: '3.0.3', info: { title: 'Good', version: '1' }, paths: {} });
const bomb = `openapi: 3.0.3\nbig: &big "${'x'.repeat(1024 * 1024)}"\ncopies: [${Array(30).fill('*big').join(', ')}]\n`;
const duplicate = '{"openapi": "3.0.3", "info": {"title": "A", "version": "1"}, "paths": {}, "openapi": "3.1.0"}';

t.test('a published alias bomb or duplicate key is refused and discovery goes on', async (t) => {
  const server = await serve(t, (req, res) => {
    if (req.url === '/bomb.yaml') return void res.writeHead(200, { 'content-type': 'application/yaml' }).end(bomb);
    if (req.url === '/dup.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(duplicate);
    if (req.url === '/good.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(good);
    res.writeHead(404).end();
  });
  const client = clientFor(t, server.origin, testLimits({ maxBodyBytes: 4 * 1024 * 1024 }));
  const send = client.send.bind(client);
  const target = new URL(server.origin);

  const bombOnly = await fetchPublishedDocument(send, target, {}, ['/bomb.yaml']);
  t.equal(bombOnly.found, false);
  t.match(bombOnly, { reason: /\/bomb\.yaml answered 200 but the document was refused: YAML aliases expand the document past the \d+-byte profile size limit/ });

  const dupOnly = await fetchPublishedDocument(send, target, {}, ['/dup.json']);
  t.equal(dupOnly.found, false);
  t.match(dupOnly, { reason: /\/dup\.json answered 200 but the document was refused: invalid JSON at line 1, column \d+: duplicate key "openapi"/ });

  const small = clientFor(t, server.origin, testLimits({ maxBodyBytes: 64 * 1024 }));
  const cut = await fetchPublishedDocument(small.send.bind(small), target, {}, ['/bomb.yaml']);
  t.match(cut, { found: false, reason: /\/bomb\.yaml answered 200 but the document is larger than the body limit \(65536 bytes read; raise --max-body\)/ });

  const found = await fetchPublishedDocument(send, target, {}, ['/bomb.yaml', '/dup.json', '/good.json']);
  t.equal(found.found, true);
  t.match(found, { url: `${server.origin}/good.json`, document: { info: { title: 'Good' } } });
});
