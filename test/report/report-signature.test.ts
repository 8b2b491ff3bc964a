import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import t from 'tap';
import { canonicalizeJson } from '../../harness/report/canonical-json.js';
import { signReport, verifyReport, SIGNATURE_FORMAT } from '../../harness/report/report-signature.js';
import { keyIdOf } from '../../harness/report/signing-keys.js';
import { parseStrictJson } from '../../harness/strict-json.js';
import { buildSampleReport } from './sample-report.js';

/**
 * What is a content edit, decided here and stated in the README:
 * - content: any value, key, array order or string code point (NFC and NFD
 *   spellings of "é" are different strings); a duplicate key (readers
 *   disagree on which one counts); a number written with more precision than
 *   its canonical form holds (readers disagree on its value); bytes that are
 *   not UTF-8;
 * - formatting: whitespace, key order, `\u` escapes versus the characters
 *   themselves, and number spellings of the same value (`1`, `1.0`, `1e0`).
 */

const keys = { a: generateKeyPairSync('ed25519'), b: generateKeyPairSync('ed25519') };
const SAMPLE = JSON.stringify(buildSampleReport(), null, 2);
const SAMPLE_SIG = sig(SAMPLE, keys.a.privateKey);

function sig(text: string, key: KeyObject): Buffer {
  return Buffer.from(JSON.stringify(signReport(Buffer.from(text), key), null, 2));
}

function verifies(reportText: string | Uint8Array, signature: Uint8Array = SAMPLE_SIG, key: KeyObject = keys.a.publicKey): boolean {
  return verifyReport(typeof reportText === 'string' ? Buffer.from(reportText) : reportText, signature, key).ok;
}

/** Strings with characters whose Unicode normalisation differs, so a normalising edit is a real edit. */
const trickyString = fc.oneof(fc.string(), fc.constantFrom('é', 'e\u0301', 'Å', 'ﬁ', 'Ω', '\u212b', 'x\u202ey', '\u200b'));
const leaf = fc.oneof(trickyString, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const { value: jsonish } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', 'é', 'e\u0301')), tie('value'), { maxKeys: 4 }),
}));
const reportArb = fc.dictionary(fc.string({ maxLength: 6 }), jsonish, { minKeys: 1, maxKeys: 5 }).map((r) => ({ summary: { verdict: 'non-conformant', failed: 1 }, results: [{ status: 'fail' }, { status: 'pass' }], ...r }));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

/** Every path in a value, the root included. */
function paths(value: Json, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...paths(item, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function at(value: Json, path: Path): Json {
  return path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, value);
}

/** A deep copy where the value at `path` is replaced by `replace(old)`. */
function edit(value: Json, path: Path, replace: (old: Json) => Json): Json {
  if (path.length === 0) return replace(value);
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, i) => (i === head ? edit(item, rest, replace) : item));
  const copy: Record<string, Json> = Object.create(null) as Record<string, Json>;
  for (const [k, v] of Object.entries(value as Record<string, Json>)) copy[k] = k === head ? edit(v, rest, replace) : v;
  return copy;
}

/**
 * JSON text of a value with formatting choices: indent, reversed key order,
 * non-ASCII as `\u` escapes, numbers in exponent form, and optionally a
 * duplicate (with a decoy value first) of the first key of the object at `duplicateAt`.
 */
function serialize(value: Json, style: { indent: number; reverse: boolean; escapeAll: boolean; exponent: boolean }, duplicateAt?: string, here = ''): string {
  const nl = style.indent > 0 ? '\n' : '';
  const pad = (depth: number) => ' '.repeat(style.indent * depth);
  const depth = here === '' ? 0 : here.split('\u0000').length;
  const str = (s: string) => {
    const quoted = JSON.stringify(s);
    return style.escapeAll ? quoted.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : quoted;
  };
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return style.exponent ? value.toExponential() : JSON.stringify(value);
  if (typeof value === 'string') return str(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${nl}${value.map((v, i) => pad(depth + 1) + serialize(v, style, duplicateAt, `${here}\u0000${i}`)).join(`,${nl}`)}${nl}${pad(depth)}]`;
  }
  let entries = Object.entries(value);
  if (style.reverse) entries = entries.reverse();
  const members = entries.map(([k, v]) => `${pad(depth + 1)}${str(k)}:${style.indent > 0 ? ' ' : ''}${serialize(v, style, duplicateAt, `${here}\u0000${k}`)}`);
  if (duplicateAt === here && entries.length > 0) members.unshift(`${pad(depth + 1)}${str(entries[0]![0])}: "decoy"`);
  if (members.length === 0) return '{}';
  return `{${nl}${members.join(`,${nl}`)}${nl}${pad(depth)}}`;
}

const styleArb = fc.record({ indent: fc.constantFrom(0, 1, 2, 4), reverse: fc.boolean(), escapeAll: fc.boolean(), exponent: fc.boolean() });

t.test('reformatting keeps the signature valid: whitespace, key order, escapes, number spellings', async (t) => {
  fc.assert(
    fc.property(reportArb, styleArb, (report, style) => {
      const signature = sig(JSON.stringify(report), keys.a.privateKey);
      return verifies(serialize(report as Json, style), signature);
    }),
    { numRuns: 200 },
  );
  t.ok(verifies(JSON.stringify(JSON.parse(SAMPLE))), 'the sample report on one line');
  t.ok(verifies(`\n\n${SAMPLE.replace(/\n/g, '\r\n')}\t`), 'CRLF and surrounding whitespace');
});

t.test('every kind of content edit fails verification', async (t) => {
  const mutation = fc.constantFrom('leaf', 'add-key', 'remove-key', 'reverse-array', 'duplicate-key', 'normalise', 'precision');
  let applied = 0;
  fc.assert(
    fc.property(reportArb, styleArb, mutation, fc.nat(), fc.string({ minLength: 1, maxLength: 5 }), (report, style, kind, pick, newKey) => {
      const original = report as Json;
      const signature = sig(JSON.stringify(original), keys.a.privateKey);
      const all = paths(original);
      const containers = all.filter((p) => { const v = at(original, p); return v !== null && typeof v === 'object'; });
      const objects = containers.filter((p) => !Array.isArray(at(original, p)) && Object.keys(at(original, p) as object).length > 0);
      let text: string | undefined;
      if (kind === 'leaf') {
        const leaves = all.filter((p) => p.length > 0 && (at(original, p) === null || typeof at(original, p) !== 'object'));
        const path = leaves[pick % leaves.length]!;
        text = serialize(edit(original, path, (old) => (typeof old === 'string' ? `${old}x` : typeof old === 'number' ? old + 1 === old ? -old || 1 : old + 1 : old === true ? false : old === false ? null : 0)), style);
      } else if (kind === 'add-key') {
        const objectPaths = containers.filter((p) => !Array.isArray(at(original, p)));
        const path = objectPaths[pick % objectPaths.length]!;
        text = serialize(edit(original, path, (old) => (Object.hasOwn(old as object, newKey) ? old : { ...(old as object), [newKey]: null })), style);
        if (Object.hasOwn(at(original, path) as object, newKey)) return true;
      } else if (kind === 'remove-key') {
        const path = objects[pick % objects.length]!;
        text = serialize(edit(original, path, (old) => Object.fromEntries(Object.entries(old as object).slice(1))), style);
      } else if (kind === 'reverse-array') {
        const arrays = containers.filter((p) => Array.isArray(at(original, p)) && canonicalizeJson([...(at(original, p) as Json[])].reverse()) !== canonicalizeJson(at(original, p)));
        const path = arrays[pick % arrays.length]!; // `results` always qualifies
        text = serialize(edit(original, path, (old) => [...(old as Json[])].reverse()), style);
      } else if (kind === 'duplicate-key') {
        const path = objects[pick % objects.length]!;
        text = serialize(original, style, path.map(String).map((k) => `\u0000${k}`).join(''));
      } else if (kind === 'normalise') {
        const strings = all.filter((p) => { const v = at(original, p); return typeof v === 'string' && v.normalize('NFD') !== v; });
        if (strings.length === 0) return true;
        text = serialize(edit(original, strings[pick % strings.length]!, (old) => (old as string).normalize('NFD')), style);
      } else {
        // A number written with digits a double cannot hold: a big-number reader sees another value.
        text = serialize(original, { ...style, exponent: false }).replace(/("failed": ?)1\b/, '$11.00000000000000000001');
      }
      applied += 1;
      return !verifies(text, signature);
    }),
    { numRuns: 400 },
  );
  t.ok(applied > 300, `${applied} edits applied`);
});

t.test('verify accepts exactly what strict JSON reads as the signed content: random byte edits', async (t) => {
  const signedContent = canonicalizeJson(parseStrictJson(SAMPLE));
  const bytes = Buffer.from(SAMPLE);
  fc.assert(
    fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 }), (position, byte) => {
      const edited = Buffer.from(bytes);
      edited[position] = byte;
      let sameContent = false;
      try {
        sameContent = canonicalizeJson(parseStrictJson(edited)) === signedContent;
      } catch {
        sameContent = false;
      }
      return verifies(edited) === sameContent;
    }),
    { numRuns: 500 },
  );
});

t.test('a forged or damaged signature file never verifies', async (t) => {
  t.ok(verifies(SAMPLE), 'the genuine pair verifies');
  const genuine = JSON.parse(SAMPLE_SIG.toString('utf8')) as { signed: Record<string, unknown>; signature: string };
  const other = JSON.parse(sig(SAMPLE.replace('"non-conformant"', '"conformant"'), keys.a.privateKey).toString('utf8')) as typeof genuine;
  const byB = JSON.parse(sig(SAMPLE, keys.b.privateKey).toString('utf8')) as typeof genuine;
  const resign = (signed: Record<string, unknown>, key = keys.a.privateKey) => ({ signed, signature: sign(null, Buffer.from(canonicalizeJson(signed)), key).toString('base64') });
  const forgeries: Array<[string, unknown, RegExp]> = [
    ['signed by another key', byB, /not made with the key given/],
    ['another key, relabelled with the trusted key id', { ...byB, signed: { ...byB.signed, keyId: keyIdOf(keys.a.publicKey) } }, /not made with the key given/],
    ["another report's signed digest with this signature", { signed: other.signed, signature: genuine.signature }, /not made with the key given/],
    ["another report's whole signature file", other, /changed/],
    ['the digest swapped for the edited report, old signature kept', { ...genuine, signed: { ...genuine.signed, reportSha256: other.signed.reportSha256 } }, /not made with the key given/],
    ['a section digest edited', { ...genuine, signed: { ...genuine.signed, sections: {} } }, /not made with the key given/],
    ['an extra top-level field', { ...genuine, note: 'trust me' }, /exactly "signed" and "signature"/],
    ['an extra field inside signed, signed by the right key', resign({ ...genuine.signed, verdict: 'conformant' }), /not a report signature in the format/],
    ['another format, signed by the right key', resign({ ...genuine.signed, format: 'something else' }), /not a report signature in the format/],
    ['the right key signing a digest that names another signer', resign({ ...genuine.signed, keyId: keyIdOf(keys.b.publicKey) }), /names another key/],
    ['another algorithm named', resign({ ...genuine.signed, algorithm: 'none' }), /algorithm or canonicalization/],
    ['signature not base64', { ...genuine, signature: '!'.repeat(88) }, /not a base64 Ed25519 signature/],
    ['signature in base64url', { ...genuine, signature: genuine.signature.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') }, /not a base64 Ed25519 signature|not made with/],
    ['signature truncated', { ...genuine, signature: genuine.signature.slice(0, 40) }, /not a base64 Ed25519 signature/],
    ['signature empty', { ...genuine, signature: '' }, /not a base64 Ed25519 signature/],
    ['signature of the old format (over the report itself)', { ...genuine, signature: sign(null, Buffer.from(canonicalizeJson(parseStrictJson(SAMPLE))), keys.a.privateKey).toString('base64') }, /not made with the key given/],
    ['the old signature file layout', { algorithm: 'Ed25519', canonicalization: 'RFC 8785', keyId: genuine.signed.keyId, signature: genuine.signature }, /exactly "signed" and "signature"/],
    ['not an object', [genuine], /exactly "signed" and "signature"/],
    ['signed not an object', { ...genuine, signed: 'x' }, /"signed" is not an object/],
  ];
  for (const [what, forged, reason] of forgeries) {
    const outcome = verifyReport(Buffer.from(SAMPLE), Buffer.from(JSON.stringify(forged)), keys.a.publicKey);
    t.notOk(outcome.ok, what);
    t.match(outcome.problems.join('\n'), reason, `${what}: says why`);
  }
  const text = SAMPLE_SIG.toString('utf8');
  const damaged: Array<[string, string, RegExp]> = [
    ['truncated', text.slice(0, text.length / 2), /not strict JSON/],
    ['empty', '', /not strict JSON/],
    ['a duplicate "signature", the good one last', text.replace('"signature":', '"signature": "AAAA", "signature":'), /duplicate key "signature"/],
    ['a duplicate "signed", the good one last', text.replace('"signed":', '"signed": {}, "signed":'), /duplicate key "signed"/],
    ['a duplicate inside signed', text.replace('"keyId":', '"keyId": "x", "keyId":'), /duplicate key "keyId" at \/signed\/keyId/],
  ];
  for (const [what, forged, reason] of damaged) {
    const outcome = verifyReport(Buffer.from(SAMPLE), Buffer.from(forged), keys.a.publicKey);
    t.notOk(outcome.ok, what);
    t.match(outcome.problems.join('\n'), reason, `${what}: says why`);
  }
  t.ok(verifyReport(Buffer.from(SAMPLE), Buffer.from(JSON.stringify(genuine)), keys.a.publicKey).ok, 'the signature file reformatted still verifies');
  t.equal(genuine.signed.format, SIGNATURE_FORMAT);

  fc.assert(
    fc.property(fc.nat(SAMPLE_SIG.length - 1), fc.integer({ min: 0, max: 255 }), (position, byte) => {
      // Any byte of the signature file changed: verifies only if it still reads as the same signature file.
      const edited = Buffer.from(SAMPLE_SIG);
      edited[position] = byte;
      let same = false;
      try {
        same = canonicalizeJson(parseStrictJson(edited)) === canonicalizeJson(genuine);
      } catch {
        same = false;
      }
      return verifies(SAMPLE, edited) === same;
    }),
    { numRuns: 300 },
  );
});

t.test('a report with a duplicate key is refused even when the last value is the signed one', async (t) => {
  // JSON.parse keeps the last "verdict", so a last-wins reader would see the signed content.
  const forged = SAMPLE.replace('"verdict":', '"verdict": "conformant", "verdict":');
  t.not(forged, SAMPLE);
  t.equal(canonicalizeJson(JSON.parse(forged)), canonicalizeJson(JSON.parse(SAMPLE)), 'a last-wins reader sees no change');
  const outcome = verifyReport(Buffer.from(forged), SAMPLE_SIG, keys.a.publicKey);
  t.notOk(outcome.ok);
  t.match(outcome.problems[0], /duplicate key "verdict" at \/summary\/verdict/);
});

t.test('what changed is named by JSON pointer, from the signed digests', async (t) => {
  const report = JSON.parse(SAMPLE) as { summary: { failed: number }; results: Array<{ status: string }> };
  report.summary.failed += 1;
  const failing = report.results.findIndex((r) => r.status === 'fail');
  report.results[failing]!.status = 'pass';
  const outcome = verifyReport(Buffer.from(JSON.stringify(report)), SAMPLE_SIG, keys.a.publicKey);
  t.notOk(outcome.ok);
  t.ok(outcome.problems.includes('/summary/failed changed'), outcome.problems.join('\n'));
  t.ok(outcome.problems.some((p) => p.startsWith(`/results/${failing} changed (now: pass`)), 'the result and what it says now');
  t.notOk(outcome.problems.includes('/summary changed'), 'the most precise section only');
});
