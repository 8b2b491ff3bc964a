import t from 'tap';
import { negativeBodyCases, UNKNOWN_PROPERTY } from '../../harness/plan/negative-bodies.js';
import type { ReadyProbe } from '../../harness/plan/negative-cases.js';
import { planProbe, type PlanContext } from '../../harness/plan/plan-probe.js';
import { UNREACHABLE_HOST } from '../../harness/plan/unreachable-urls.js';
import { createValueHarvest } from '../../harness/plan/value-harvest.js';
import type { OperationSpec } from '../../harness/profile/profile-types.js';
import { operation } from '../support/plan-specs.js';

const document = {
  components: {
    schemas: {
      NewThing: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'size', 'callbackUrl'],
        properties: { name: { type: 'string' }, size: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } }, callbackUrl: { type: 'string', format: 'uri' }, note: { type: ['string', 'null'] } },
      },
    },
  },
};
const context: PlanContext = { document, target: new URL('http://127.0.0.1:9/api/'), vars: {}, headers: { 'user-agent': 'probe' }, allowWrites: true };
const example = { name: 'thing', size: 3, tags: ['a'], callbackUrl: 'https://hooks.vendor.example/thing', note: null };

function write(method: string, schema: unknown = { $ref: '#/components/schemas/NewThing' }, mediaRange = 'application/json'): { op: OperationSpec; valid: ReadyProbe } {
  const op = operation({ operationId: `${method.toLowerCase()}Thing`, method, path: '/things', requestBody: { required: true, content: [{ mediaRange, schema, example: { value: example } }] }, responses: [{ key: '201', content: [], headers: [], pointer: '' }] });
  const plan = planProbe(op, context, createValueHarvest(), true);
  if (plan.kind !== 'ready') throw new Error(`not ready: ${plan.kind}`);
  return { op, valid: plan };
}

const bodyOf = (text: string | undefined) => JSON.parse(text ?? 'null') as Record<string, unknown>;

t.test('one case of each kind, each changing the valid body in exactly one way', async (t) => {
  const { op, valid } = write('POST');
  const cases = negativeBodyCases(op, valid, document, 7);
  t.same(cases.map((c) => `${c.check} ${c.mutation.mutation}`), [
    'negative-data-rejection malformed-json',
    'negative-data-rejection missing-property',
    'negative-data-rejection wrong-type',
    'negative-data-rejection unknown-property',
    'unsupported-media-type wrong-content-type',
  ]);
  const sent = bodyOf(valid.request.body);
  const [malformed, missing, wrongType, unknown, mediaType] = cases;
  t.throws(() => JSON.parse(malformed!.request.body!), 'malformed JSON is not JSON');
  t.equal(malformed!.request.headers['content-type'], 'application/json');
  const without = bodyOf(missing!.request.body);
  const left = missing!.mutation.name.slice(1);
  t.ok(['name', 'size', 'callbackUrl'].includes(left), `a required property is left out (${left})`);
  t.same({ ...without, [left]: sent[left] }, sent, 'nothing else changed');
  const changed = bodyOf(wrongType!.request.body);
  const prop = wrongType!.mutation.name.slice(1);
  t.not(prop, 'note', 'a property that may be null is never given a wrong type');
  t.not(typeof changed[prop], typeof sent[prop], `${prop} has another JSON type`);
  t.same(bodyOf(unknown!.request.body), { ...sent, [UNKNOWN_PROPERTY]: 'x' });
  t.equal(mediaType!.request.headers['content-type'], 'text/plain');
  t.equal(mediaType!.request.body, valid.request.body, 'the valid body, only labelled otherwise');
  for (const found of cases) {
    t.equal(found.request.url, valid.request.url, 'sent to the same URL (the collection, or the run\'s own record)');
    t.equal(found.request.method, 'POST');
    t.match(found.mutation, { location: 'body', expect: 'reject', reason: /\w/ });
    t.notOk(found.request.body?.includes('vendor.example'), 'no live URL in any body');
  }
  t.ok(valid.request.body?.includes(UNREACHABLE_HOST), 'the URL points at the host that never resolves');
});

t.test('the same seed picks the same properties; PATCH never leaves a property out', async (t) => {
  const { op, valid } = write('POST');
  const names = (seed: number) => negativeBodyCases(op, valid, document, seed).map((c) => c.mutation.name).join(' ');
  t.equal(names(3), names(3));
  const patch = write('PATCH');
  t.notOk(negativeBodyCases(patch.op, patch.valid, document, 3).some((c) => c.mutation.mutation === 'missing-property'));
});

t.test('no case rests on a doubt: composed schemas get only the schema-free cases; a text/* body gets no media-type case', async (t) => {
  const composed = write('POST', { allOf: [{ $ref: '#/components/schemas/NewThing' }] });
  t.same(negativeBodyCases(composed.op, composed.valid, document, 1).map((c) => c.mutation.mutation), ['malformed-json', 'wrong-content-type']);
  const open = write('POST', { type: 'object', properties: { name: { type: 'string' } } });
  t.notOk(negativeBodyCases(open.op, open.valid, document, 1).some((c) => c.mutation.mutation === 'unknown-property'), 'no unknown property without additionalProperties: false');
  const { op, valid } = write('POST');
  const takesText = { ...op, requestBody: { required: true, content: [...op.requestBody!.content, { mediaRange: 'text/*' }] } };
  t.notOk(negativeBodyCases(takesText, valid, document, 1).some((c) => c.mutation.mutation === 'wrong-content-type'));
  const bodiless = { ...valid, request: { ...valid.request, body: undefined } } as ReadyProbe;
  t.same(negativeBodyCases(op, bodiless, document, 1), [], 'no body, no case');
});

t.test('a readOnly required property is never required of a request, nor typed wrong, nor relied on', async (t) => {
  const withId = {
    components: {
      schemas: {
        Id: { type: 'integer', readOnly: true },
        Note: { type: 'object', additionalProperties: false, required: ['id', 'title', 'stamp'], properties: { id: { $ref: '#/components/schemas/Id' }, stamp: { type: 'string', readOnly: true }, title: { type: 'string' } } },
      },
    },
  };
  const op = operation({ operationId: 'createNote', method: 'POST', path: '/notes', requestBody: { required: true, content: [{ mediaRange: 'application/json', schema: { $ref: '#/components/schemas/Note' }, example: { value: { id: 1, stamp: 'x', title: 'hello' } } }] }, responses: [{ key: '201', content: [], headers: [], pointer: '' }] });
  const plan = planProbe(op, { ...context, document: withId }, createValueHarvest(), true);
  if (plan.kind !== 'ready') throw new Error(plan.kind);
  const names = new Set<string>();
  for (let seed = 0; seed < 30; seed++) {
    for (const c of negativeBodyCases(op, plan, withId, seed)) {
      names.add(`${c.mutation.mutation} ${c.mutation.name}`);
      if (c.mutation.mutation !== 'malformed-json' && c.mutation.mutation !== 'wrong-content-type') t.notOk('id' in bodyOf(c.request.body) || 'stamp' in bodyOf(c.request.body), `${c.mutation.mutation}: no readOnly property sent`);
    }
  }
  t.ok(names.has('missing-property /title'), 'title, the one a client must send, is left out');
  t.notOk([...names].some((n) => n.endsWith('/id') || n.endsWith('/stamp')), `no case about a readOnly property: ${[...names].join(', ')}`);
});
