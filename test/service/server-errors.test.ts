/**
 * A 5xx is logged, one line with the request id and the error's message,
 * never the request's body or headers; a 4xx is not logged.
 */
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { apiClient, startTestService } from '../support/service.js';

t.test('server errors are logged without bodies or headers; client errors are not', async (t) => {
  const lines: string[] = [];
  const service = await startTestService(t, {
    worker: false,
    logServerError: (line) => lines.push(line),
    plugins: [
      async (app: FastifyInstance) => {
        app.post('/boom', async () => {
          throw new Error('the store fell over');
        });
      },
    ],
  });
  const boom = await fetch(`${service.url}/boom`, { method: 'POST', headers: { authorization: 'Bearer secret-header-value', 'content-type': 'application/json' }, body: JSON.stringify({ password: 'secret-body-value' }) });
  t.equal(boom.status, 500);
  t.equal(lines.length, 1, 'one line for the 500');
  t.match(lines[0], /^500 POST \/boom \(request [^)]+\): Error: the store fell over$/);
  t.notMatch(lines.join('\n'), /secret-(header|body)-value/, 'neither the headers nor the body');

  const api = apiClient(service.url, service.adminToken);
  t.equal((await api('GET', '/api/runs/00000000-0000-4000-8000-000000000000')).status, 404);
  t.equal((await api('POST', '/api/evaluations', { name: '' })).status, 400);
  t.equal(lines.length, 1, 'a 4xx is not a server error');
});
