import t from 'tap';
import { createCsvRowCounter, splitCsvRow } from '../../harness/export/csv-rows.js';

/** Row counting must not be fooled by line breaks inside quoted fields, wherever the chunks split. */

const SAMPLE = 'id,note,"odd ""name"""\r\n1,"two\nlines",x\r\n2,plain,"a,b"\r\n3,"",last';

t.test('counts rows and reads the header at every chunk boundary', async (t) => {
  for (let cut = 0; cut <= SAMPLE.length; cut++) {
    const counter = createCsvRowCounter();
    counter.write(Buffer.from(SAMPLE.slice(0, cut)));
    counter.write(Buffer.from(SAMPLE.slice(cut)));
    const { rows, header } = counter.end();
    t.equal(rows, 4, `cut at ${cut}`);
    t.same(header, ['id', 'note', 'odd "name"'], `header, cut at ${cut}`);
  }
});

t.test('a trailing line break does not add a row; LF and CRLF count once', async (t) => {
  const counter = createCsvRowCounter();
  counter.write(Buffer.from('a\n1\r\n2\n'));
  t.equal(counter.end().rows, 3);
});

t.test('an empty file has no rows and no header', async (t) => {
  t.same(createCsvRowCounter().end(), { rows: 0, header: [''] });
});

t.test('splitCsvRow unquotes fields', async (t) => {
  t.same(splitCsvRow('a,"b,c",""""'), ['a', 'b,c', '"']);
});
