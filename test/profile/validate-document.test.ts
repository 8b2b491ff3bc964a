import t from 'tap';
import { validateDocument } from '../../harness/profile/validate-document.js';

/**
 * Found on Homebridge's UI: an oauth2 scheme with two stray fields and scopes
 * of null drew six warnings, half in the words of the apiKey and openIdConnect
 * alternatives (must have required property 'name'; flows must NOT have
 * additional properties; type must be equal to one of the allowed values).
 */

const document = (scheme: Record<string, unknown>): Record<string, unknown> => ({
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  paths: { '/x': { get: { responses: { '200': { description: 'ok' } } } } },
  components: { securitySchemes: { bearer: scheme } },
});

t.test("an oauth2 scheme's faults are said in its own kind's words only", async (t) => {
  const warnings = await validateDocument(document({ type: 'oauth2', scheme: 'bearer', bearerFormat: 'JWT', flows: { password: { tokenUrl: '/login', scopes: null } } }));
  t.same(
    warnings.map((w) => w.location),
    ['/components/securitySchemes/bearer/scheme', '/components/securitySchemes/bearer/bearerFormat', '/components/securitySchemes/bearer/flows/password/scopes'],
  );
  t.notMatch(warnings.map((w) => w.message).join('\n'), /openIdConnectUrl|required property 'name'|allowed values/);
});

t.test('a scheme of no kind at all is said to be so', async (t) => {
  const warnings = await validateDocument(document({ type: 'bearer', scheme: 'bearer' }));
  t.match(warnings.map((w) => w.message).join('\n'), /\/components\/securitySchemes\/bearer\/type must be equal to one of the allowed values/);
});

t.test('an apiKey scheme missing its name says that, not the other kinds', async (t) => {
  const warnings = await validateDocument(document({ type: 'apiKey', in: 'header' }));
  t.same(warnings.map((w) => w.message), ["OpenAPI schema: /components/securitySchemes/bearer must have required property 'name'"]);
});

t.test('reads whose success documents no body are named in one warning', async (t) => {
  const { undocumentedSuccessBodies } = await import('../../harness/profile/undocumented-success-bodies.js');
  const op = (operationId: string, responses: Array<{ key: string; content?: unknown[] }>, method = 'GET') =>
    ({ operationId, method, path: `/${operationId}`, parameters: [], responses: responses.map((r) => ({ key: r.key, content: r.content ?? [], headers: [], pointer: '' })), pointer: '' }) as never;
  const warning = undocumentedSuccessBodies([
    op('status', [{ key: '200' }]),
    op('things', [{ key: '200', content: [{ mediaRange: 'application/json' }] }]),
    op('ping', [{ key: '204' }]),
    op('restart', [{ key: '200' }], 'PUT'),
    op('logs', [{ key: 'default' }]),
  ]);
  t.match(warning, { code: 'success-body-undocumented', message: /^2 of 4 GET operations document no body for their success response \(status, logs\): for them the run checks the status and headers only/ });
  t.equal(undocumentedSuccessBodies([op('things', [{ key: '200', content: [{ mediaRange: 'application/json' }] }])]), undefined);
});
