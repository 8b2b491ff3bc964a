import t from 'tap';
import { escapeXmlAttribute, escapeXmlText, stripInvalidXmlChars } from '../../harness/report/xml-text.js';

t.test('escapes the five special characters in text and attributes', async (t) => {
  t.equal(escapeXmlText(`a & b < c > d " e ' f`), 'a &amp; b &lt; c &gt; d &quot; e &apos; f');
  t.equal(escapeXmlAttribute(`a & b < c > d " e ' f`), 'a &amp; b &lt; c &gt; d &quot; e &apos; f');
  t.equal(escapeXmlText(']]>'), ']]&gt;', 'a CDATA end can never appear');
});

t.test('attributes keep tab, newline and carriage return as references', async (t) => {
  t.equal(escapeXmlAttribute('a\tb\nc\rd'), 'a&#9;b&#10;c&#13;d');
  t.equal(escapeXmlText('a\tb\nc'), 'a\tb\nc', 'text keeps them raw');
});

t.test('strips characters XML 1.0 does not allow, keeps the rest', async (t) => {
  t.equal(stripInvalidXmlChars('a\u0000b\u0008c\u000bd\u001be\u007ff\u0085g'), 'abcdefg');
  t.equal(stripInvalidXmlChars('x\ufffey\uffffz'), 'xyz');
  t.equal(stripInvalidXmlChars('lone \ud800 high, lone \udc00 low'), 'lone  high, lone  low');
  t.equal(stripInvalidXmlChars('pair \ud83d\ude00 ok, tab\tnl\ncr\r'), 'pair \ud83d\ude00 ok, tab\tnl\ncr\r');
  t.equal(stripInvalidXmlChars('\u202eLIAF\u202c \u2066x\u2069'), 'LIAF x', 'bidi controls, which CI viewers would honour');
  t.equal(stripInvalidXmlChars('Ünïcødé → ✓ 警察'), 'Ünïcødé → ✓ 警察');
});
