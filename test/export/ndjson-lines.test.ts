import t from 'tap';
import { createLineSplitter, isBlankLine } from '../../harness/export/ndjson-lines.js';

interface Seen {
  lines: Array<[number, string]>;
  oversized: Array<[number, number]>;
  count: number;
}

/** Split `chunks` and collect every line (copied: a line is only valid during the call). */
function split(chunks: Buffer[], maxLineBytes = 1024): Seen {
  const seen: Seen = { lines: [], oversized: [], count: 0 };
  const splitter = createLineSplitter((line, n) => seen.lines.push([n, line.toString('latin1')]), {
    maxLineBytes,
    onOversizedLine: (n, bytes) => seen.oversized.push([n, bytes]),
  });
  for (const chunk of chunks) splitter.write(chunk);
  splitter.end();
  seen.count = splitter.lines;
  return seen;
}

/** Every way of cutting `text` into two, and into three, chunks. */
function* cuts(text: string): Generator<Buffer[]> {
  const bytes = Buffer.from(text, 'latin1');
  for (let a = 0; a <= bytes.length; a++) {
    yield [bytes.subarray(0, a), bytes.subarray(a)];
    for (let b = a; b <= bytes.length; b++) yield [bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)];
  }
}

const SAMPLE = '{"id":"a"}\n{"id":"bb"}\r\n\n{"id":"ccc"}\r\n\r\n{"id":"d"}';
const SAMPLE_LINES: Array<[number, string]> = [
  [1, '{"id":"a"}'],
  [2, '{"id":"bb"}'],
  [3, ''],
  [4, '{"id":"ccc"}'],
  [5, ''],
  [6, '{"id":"d"}'],
];

t.test('a chunk boundary at every offset (two and three chunks) gives the same lines', async (t) => {
  let tried = 0;
  for (const chunks of cuts(SAMPLE)) {
    const seen = split(chunks);
    tried += 1;
    if (JSON.stringify(seen.lines) !== JSON.stringify(SAMPLE_LINES) || seen.count !== 6 || seen.oversized.length > 0) {
      t.fail(`cut at ${chunks.map((c) => c.length).join('+')}`, { got: seen });
      return;
    }
  }
  t.pass(`${tried} ways of cutting the sample agree`);
});

t.test('one byte at a time', async (t) => {
  const bytes = Buffer.from(SAMPLE, 'latin1');
  const seen = split(Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)));
  t.same(seen.lines, SAMPLE_LINES);
});

t.test('CRLF line endings are stripped; a lone CR inside a line is kept', async (t) => {
  const seen = split([Buffer.from('a\rb\r\nc\r\n')]);
  t.same(seen.lines, [[1, 'a\rb'], [2, 'c']]);
});

t.test('a trailing newline ends the last line; no empty line after it', async (t) => {
  t.same(split([Buffer.from('x\ny\n')]).lines, [[1, 'x'], [2, 'y']]);
  t.same(split([Buffer.from('x\ny\r\n')]).count, 2);
});

t.test('without a trailing newline the last line comes at end()', async (t) => {
  const lines: string[] = [];
  const splitter = createLineSplitter((line) => lines.push(line.toString()), { maxLineBytes: 100, onOversizedLine: () => undefined });
  splitter.write(Buffer.from('one\ntwo'));
  t.same(lines, ['one'], 'the partial line is held back');
  splitter.end();
  t.same(lines, ['one', 'two']);
  t.equal(splitter.lines, 2);
});

t.test('blank lines in the middle are reported, as are empty inputs', async (t) => {
  t.same(split([Buffer.from('\n\na\n\n')]).lines, [[1, ''], [2, ''], [3, 'a'], [4, '']]);
  t.same(split([]).lines, []);
  t.same(split([Buffer.alloc(0), Buffer.alloc(0)]).count, 0);
});

t.test('an oversized line is skipped to its newline and reported with its length, at every cut', async (t) => {
  const long = 'x'.repeat(25);
  const text = `short\n${long}\r\nafter\n${long}`;
  for (const chunks of cuts(text)) {
    const seen = split(chunks, 10);
    const expected = { lines: [[1, 'short'], [3, 'after']], oversized: [[2, 25], [4, 25]], count: 4 };
    if (JSON.stringify(seen) !== JSON.stringify(expected)) {
      t.fail(`cut at ${chunks.map((c) => c.length).join('+')}`, { got: seen, expected });
      return;
    }
  }
  t.pass('every cut agrees');
});

t.test('a line of exactly maxLineBytes is kept, with or without CR; one byte more is oversized', async (t) => {
  for (const chunks of cuts('abcd\r\nabcde\r\nabcd\nabcde\nabcd\r')) {
    const seen = split(chunks, 4);
    if (JSON.stringify(seen.lines) !== JSON.stringify([[1, 'abcd'], [3, 'abcd'], [5, 'abcd']]) || JSON.stringify(seen.oversized) !== '[[2,5],[4,5]]') {
      t.fail(`cut at ${chunks.map((c) => c.length).join('+')}`, { got: seen });
      return;
    }
  }
  t.pass('every cut agrees');
});

t.test('an oversized line is not held in memory', async (t) => {
  let oversized: [number, number] | undefined;
  const lines: string[] = [];
  const splitter = createLineSplitter((line) => lines.push(line.toString()), {
    maxLineBytes: 1024,
    onOversizedLine: (n, bytes) => (oversized = [n, bytes]),
  });
  const chunk = Buffer.alloc(1024 * 1024, 'y');
  const before = process.memoryUsage().arrayBuffers;
  for (let i = 0; i < 200; i++) splitter.write(chunk); // a 200 MB line
  const growth = process.memoryUsage().arrayBuffers - before;
  splitter.write(Buffer.from('\nok\n'));
  splitter.end();
  t.same(oversized, [1, 200 * 1024 * 1024]);
  t.same(lines, ['ok']);
  t.ok(growth < 16 * 1024 * 1024, `array buffers grew ${Math.round(growth / 1e6)} MB for a 200 MB line`);
});

t.test('a complete line inside a chunk is a view of the chunk, not a copy', async (t) => {
  const chunk = Buffer.from('abc\ndef\n');
  const buffers: Buffer[] = [];
  const splitter = createLineSplitter((line) => buffers.push(line), { maxLineBytes: 100, onOversizedLine: () => undefined });
  splitter.write(chunk);
  t.equal(buffers[0]?.buffer, chunk.buffer);
  t.equal(buffers[1]?.byteOffset, chunk.byteOffset + 4);
});

t.test('a chunk reused by the caller does not corrupt a carried line', async (t) => {
  const lines: string[] = [];
  const splitter = createLineSplitter((line) => lines.push(line.toString()), { maxLineBytes: 100, onOversizedLine: () => undefined });
  const reused = Buffer.from('ab\ncd');
  splitter.write(reused);
  reused.write('ef\ngh');
  splitter.write(reused);
  splitter.end();
  t.same(lines, ['ab', 'cdef', 'gh']);
});

t.test('throughput on 100 MB of NDJSON in 64 KB chunks', async (t) => {
  const record = Buffer.from(`${JSON.stringify({ id: 'PER-000001', name: 'Ada Lovelace', createdAt: '2024-01-01T00:00:00Z', tags: ['a', 'b'] })}\n`);
  const chunk = Buffer.concat(Array.from({ length: Math.ceil(65536 / record.length) }, () => record)).subarray(0, 65536);
  let lines = 0;
  let bytes = 0;
  const splitter = createLineSplitter(
    (line) => {
      lines += 1;
      bytes += line.length;
    },
    { maxLineBytes: 1 << 20, onOversizedLine: () => undefined },
  );
  const rounds = 1600;
  const started = performance.now();
  for (let i = 0; i < rounds; i++) splitter.write(chunk);
  splitter.end();
  const seconds = (performance.now() - started) / 1000;
  const mb = (rounds * chunk.length) / 1e6;
  t.ok(lines > 1_000_000, `${lines} lines`);
  t.ok(bytes > 0, 'lines have content');
  t.comment(`split ${mb.toFixed(0)} MB, ${lines} lines in ${seconds.toFixed(2)} s: ${(mb / seconds).toFixed(0)} MB/s, ${(lines / seconds / 1e6).toFixed(1)} M lines/s`);
});

t.test('a blank line is JSON white space only: an export record and a stream item agree', async (t) => {
  for (const blank of ['', ' ', '\t', ' \t\r', '\r']) t.ok(isBlankLine(Buffer.from(blank)), JSON.stringify(blank));
  // A byte order mark or a no-break space is not JSON white space: such a line is an item, and invalid.
  for (const notBlank of ['\uFEFF', '\u00A0', '{}', ' x ', '\f']) t.notOk(isBlankLine(Buffer.from(notBlank)), JSON.stringify(notBlank));
});
