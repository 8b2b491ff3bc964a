import t from 'tap';
import { patternSample } from '../../harness/plan/pattern-sample.js';
import { planProbe, type PlanContext } from '../../harness/plan/plan-probe.js';
import { createValueHarvest } from '../../harness/plan/value-harvest.js';
import { operation, param } from '../support/plan-specs.js';

t.test('a value is made from the pattern, the same every time, and only one that matches it is used', async (t) => {
  t.equal(patternSample('^sha256:[a-f0-9]{64}$', 0, Infinity), `sha256:${'0'.repeat(64)}`, "GitHub's subject_digest");
  t.equal(patternSample('^R[0-9]+-[0-9]+$', 0, Infinity), 'R0-0');
  t.equal(patternSample('^(foo|bar)-\\d+$', 0, Infinity), 'foo-0');
  t.equal(patternSample('^[^/]+$', 0, Infinity), '0', 'a negated class draws letters and digits: no space, no slash');
  t.equal(patternSample('^[a-z]+$', 5, 10)?.length, 9, 'longer when minLength asks for it');
  t.equal(patternSample('^[a-z]{3}$', 5, 10), undefined, 'bounds the pattern cannot meet: none');
  t.equal(patternSample('^(\\w)\\1$', 0, Infinity), undefined, 'a backreference the linear engine cannot check: none');
  t.equal(patternSample('^\\p{L}+$', 0, Infinity), undefined, 'syntax randexp cannot read: none');
  t.equal(patternSample('^[a-z]{2}$', 0, Infinity), patternSample('^[a-z]{2}$', 0, Infinity), 'deterministic');
});

t.test('a required parameter with a pattern gets a value that matches it, where "example" would not', async (t) => {
  const context: PlanContext = { document: {}, target: new URL('http://127.0.0.1:9/'), vars: {}, headers: {}, allowWrites: false };
  const op = operation({
    path: '/attestations/{digest}',
    parameters: [
      param({ name: 'digest', in: 'path', schema: { type: 'string', pattern: '^sha256:[a-f0-9]{64}$' } }),
      param({ name: 'version', in: 'query', schema: { type: 'string', pattern: '^v[0-9]+$' } }),
      param({ name: 'plain', in: 'query', schema: { type: 'string', pattern: '^ex' } }),
    ],
  });
  const plan = planProbe(op, context, createValueHarvest(), true);
  if (plan.kind !== 'ready') throw new Error(plan.kind);
  t.equal(plan.request.url, `http://127.0.0.1:9/attestations/sha256%3A${'0'.repeat(64)}?version=v0&plain=example`, 'a value the pattern takes; "example" kept where it matches');
  t.same(plan.valueSources, { 'path:digest': 'generated', 'query:version': 'generated', 'query:plain': 'generated' });
});
