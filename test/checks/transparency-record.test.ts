import t from 'tap';
import { ATRS_REQUIRED, transparencyRecord } from '../../harness/checks/transparency-record.js';
import type { CheckContext } from '../../harness/checks/check.js';

const document = { paths: { '/records': { get: { 'x-interop-transparency-records': true } } } };

function judge(body: unknown) {
  const context = {
    operation: { pointer: '/paths/~1records/get' },
    response: { status: 200, headers: {}, body: Buffer.from(JSON.stringify(body)), truncated: false },
    document,
    json: () => ({ ok: true, value: body }),
  } as unknown as CheckContext;
  return transparencyRecord.run(context);
}

const complete = Object.fromEntries(ATRS_REQUIRED.map((field) => [field, field === 'external_supplier' ? false : `${field} text`]));

t.test('an incomplete record is told as lacking a field or leaving it empty, where it is', async (t) => {
  // Found with Mockoon: `name: ""` read "lacks name" under the label "()", and a bare list's record was placed under /data.
  t.equal(judge([complete]).status, 'pass');
  const { name: _name, ...nameless } = complete;
  const result = judge([complete, { ...nameless, description: '  ' }, { ...complete, name: '', organisation: '' }]);
  t.equal(result.status, 'fail');
  t.equal(result.message, '2 incomplete transparency records: /1 (unnamed) lacks name and leaves description empty; /2 (unnamed) leaves name, organisation empty');
  t.match(judge({ data: [{ ...complete, standard_version: null }] }).message, /^1 incomplete transparency record: \/data\/0 \(name text\) lacks standard_version$/);
});
