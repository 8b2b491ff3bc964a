import t from 'tap';
import { fitText, sanitizeTerminalText, truncateText } from '../../harness/report/terminal-text.js';

t.test('removes ANSI escape sequences whole', async (t) => {
  t.equal(sanitizeTerminalText('a\x1b[31mred\x1b[0m b'), 'ared b', 'SGR colour');
  t.equal(sanitizeTerminalText('x\x1b[2Jy\x1b[1;1Hz\x1b[?25l'), 'xyz', 'clear screen, cursor move, private mode');
  t.equal(sanitizeTerminalText('\x1b]0;owned\x07title'), 'title', 'OSC window title ended by BEL');
  t.equal(sanitizeTerminalText('\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\'), 'click', 'OSC 8 hyperlink ended by ST');
  t.equal(sanitizeTerminalText('\x1bPq#0;2;0;0;0\x1b\\ok'), 'ok', 'DCS (sixel)');
  t.equal(sanitizeTerminalText('\x9b31mc1\x9b0m'), 'c1', '8-bit CSI');
  t.equal(sanitizeTerminalText('\x1bcreset \x1b(Bcharset'), 'reset charset', 'two-byte and charset sequences');
  t.equal(sanitizeTerminalText('lone \x1b'), 'lone ', 'a lone ESC');
  t.equal(sanitizeTerminalText('\x1b]0;unterminated title'), '0;unterminated title', 'an unterminated OSC loses its introducer');
});

t.test('removes C0 and C1 controls; shows bidi and zero-width characters as markers', async (t) => {
  t.equal(sanitizeTerminalText('a\x00b\x07c\x08d\x7fe\x9ff'), 'abcdef', 'C0 (NUL, BEL, BS), DEL, C1');
  t.equal(sanitizeTerminalText('line\x85next'), 'line next', 'NEL is a line break, so a space');
  t.equal(sanitizeTerminalText('\u202eLIAF\u202c \u2066x\u2069 \u202a'), '⟨U+202E⟩LIAF⟨U+202C⟩ ⟨U+2066⟩x⟨U+2069⟩ ⟨U+202A⟩', 'embeddings, overrides, isolates');
  t.equal(sanitizeTerminalText('pa\u200bss\u2060 \u00ad\ufeff\u{e0041}'), 'pa⟨U+200B⟩ss⟨U+2060⟩ ⟨U+00AD⟩⟨U+FEFF⟩⟨U+E0041⟩', 'zero-width, soft hyphen, BOM, tag characters');
  t.equal(sanitizeTerminalText('lone \ud800 surrogate'), 'lone \ufffd surrogate');
  t.equal(sanitizeTerminalText('emoji \ud83d\ude93 police car'), 'emoji \ud83d\ude93 police car', 'pairs are kept');
});

t.test('line breaks become spaces, or newlines when multiline', async (t) => {
  t.equal(sanitizeTerminalText('one\r\ntwo\nthree\rfour\tfive\u2028six'), 'one two three four five six');
  t.equal(sanitizeTerminalText('one\r\ntwo\rthree\ttab', { multiline: true }), 'one\ntwo\nthree tab');
  t.equal(sanitizeTerminalText('progress\rOVERWRITE'), 'progress OVERWRITE', 'a bare CR cannot rewrite the line');
});

t.test('truncateText and fitText count code points and mark cuts', async (t) => {
  t.equal(truncateText('short', 10), 'short');
  t.equal(truncateText('exactly10!', 10), 'exactly10!');
  t.equal(truncateText('a longer message', 8), 'a longe…');
  t.equal(truncateText('\ud83d\ude93\ud83d\ude93\ud83d\ude93', 2), '\ud83d\ude93…', 'a surrogate pair is never split');
  t.equal(truncateText('anything', 0), '');
  t.equal(fitText('MUST', 6), 'MUST  ');
  t.equal(fitText('response-schema', 8), 'respons…');
});
