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
  // Found in review: a class with neither letters nor digits gave nothing, and the value stayed "example".
  t.equal(patternSample('^[A-Z]{3}[-_][0-9]{4}$', 0, Infinity), 'AAA-0000');
  t.equal(patternSample('^[+][0-9]{10}$', 0, Infinity), '+0000000000');
  t.equal(patternSample('^[a-z]+$', 5, 10)?.length, 9, 'longer when minLength asks for it');
  t.equal(patternSample('^[a-z]{3}$', 5, 10), undefined, 'bounds the pattern cannot meet: none');
  t.equal(patternSample('^(\\w)\\1$', 0, Infinity), undefined, 'a backreference the linear engine cannot check: none');
  t.equal(patternSample('^\\p{L}+$', 0, Infinity), undefined, 'syntax randexp cannot read: none');
  t.equal(patternSample('^[a-z]{2}$', 0, Infinity), patternSample('^[a-z]{2}$', 0, Infinity), 'deterministic');
});

t.test("a hostile document's pattern is measured before anything is made from it", async (t) => {
  t.equal(patternSample('^(a{9999}){9999}$', 0, Infinity), undefined, 'a pattern the linear engine refuses: none');
  t.equal(patternSample('^a{1000}$', 0, Infinity), undefined, 'no value longer than 256 characters is made');
  t.equal(patternSample('^(x|y{999})$', 0, Infinity), 'x', 'the alternative taken is the one measured');
  t.equal(patternSample('^(x|y{999})$', 2, Infinity), undefined, 'and the other is measured, not made');
  // Found in review, before the measure: a minute and over a gigabyte each, then a hang at 3.4 GB.
  for (const [pattern, minLength] of [['^(?:(?:(?:[^a]{1000})+)+)+$', 0], ['^(?:(?:(?:[^a]{1000})*)*)*$', 300], ['^(?:(?:(?:(?:[^a]{1000})*)*)*)*$', 300]] as const) {
    t.equal(patternSample(pattern, minLength, Infinity), undefined, `${pattern} (minLength ${minLength}): none, at once`);
  }
});
