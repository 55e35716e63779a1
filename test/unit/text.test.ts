import assert from 'node:assert/strict';
import { escapeMarkdown, neutralise, neutraliseLine, NeutralisingStream } from '../../src/core/text.js';

/** Nothing a terminal would act on: ESC, C0 controls but \n and \t, DEL, C1 controls, bidi controls. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('neutralise (outside text shown in a terminal, a tree or a log)', () => {
  const hostile: [string, string, string][] = [
    // [what, input, expected]
    [
      'the issue: erase the line, return, fake a green success',
      '\x1b[2K\r\x1b[32m✔ succeeded\x1b[0m',
      '␛␍✔ succeeded',
    ],
    ['a window title (OSC 0, BEL)', 'alice\x1b]0;pwned\x07 @ laptop', 'alice␛ @ laptop'],
    ['a window title (OSC 2, ST)', 'alice\x1b]2;title\x1b\\ @ laptop', 'alice␛ @ laptop'],
    [
      'a hyperlink (OSC 8) keeps its visible text',
      '\x1b]8;;https://evil.example\x1b\\docs\x1b]8;;\x1b\\',
      '␛docs␛',
    ],
    ['an OSC without its terminator leaves inert text', 'a\x1b]0;pwned', 'a␛0;pwned'],
    ['8-bit CSI (U+009B) erasing the line', 'held\u009b2Kfake', 'held␛fake'],
    ['8-bit OSC (U+009D) with 8-bit ST (U+009C)', 'a\u009d0;title\u009cb', 'a␛b'],
    ['other C1 controls', 'a\u0085b\u008ec', 'a␛b␛c'],
    ['DCS, APC, PM, SOS strings', '\x1bP1$r\x1b\\\x1b_apc\x1b\\\x1b^pm\x07\x1bXsos\x1b\\', '␛␛␛␛'],
    ['two-character sequences (charset, reset, save cursor, DECALN)', '\x1b(B\x1bc\x1b7\x1b#8x', '␛␛␛␛x'],
    ['private-mode CSI (alternate screen, hidden cursor)', '\x1b[?1049h\x1b[?25lx', '␛␛x'],
    ['cursor movement', 'ok\x1b[1A\x1b[10Dover', 'ok␛␛over'],
    ['a lone ESC at the end', 'text\x1b', 'text␛'],
    ['an unfinished CSI', 'text\x1b[2', 'text␛2'],
    ['a lone \\r is shown, never an overwrite', 'Bob holds it\rAlice', 'Bob holds it␍Alice'],
    ['\\r\\n becomes \\n (one line break)', 'a\r\nb\r\n', 'a\nb\n'],
    ['backspaces are shown, not applied', 'evil\b\b\b\bgood', 'evil␈␈␈␈good'],
    ['BEL, NUL, vertical tab, form feed, DEL', 'a\x07b\x00c\x0bd\x0ce\x7f', 'a␇b␀c␋d␌e␡'],
    ['bidi override and isolates are removed', 'user\u202eredli\u202c \u2066x\u2069', 'userredli x'],
    ['colours are dropped without a mark', '\x1b[1;31mERROR\x1b[0m: \x1b[mboom\u009b32m!', 'ERROR: boom!'],
  ];
  for (const [what, input, expected] of hostile) {
    it(what, () => {
      const safe = neutralise(input);
      assert.equal(safe, expected);
      assert.doesNotMatch(safe, CONTROL);
      assert.doesNotMatch(safe, /\r/);
      assert.equal(neutralise(safe), safe, 'neutralising twice changes nothing');
    });
  }

  const benign = [
    'Crème brûlée für Ångström — naïve café',
    '日本語のログ 行 · 한국어 · 中文',
    'emoji 🚀✅🧪 and flags 🇵🇹, ZWJ 👩‍💻',
    'columns\tand\ttabs\nand lines\n',
    'Alice <alice@example.com> @ laptop [x](y) $(zap)',
    'العربية עברית (right-to-left text without overrides)',
    '',
  ];
  for (const text of benign) {
    it(`keeps ${JSON.stringify(text.slice(0, 24))} as it is`, () => {
      assert.equal(neutralise(text), text);
    });
  }
});

describe('neutraliseLine (one line: a label, a description)', () => {
  it('shows line breaks as ␤ and tabs as spaces, and neutralises like neutralise', () => {
    assert.equal(neutraliseLine('a\nb\r\nc\rd\te'), 'a␤b␤c␍d e');
    assert.equal(neutraliseLine('\x1b[2K\r\x1b[32m✔ succeeded\x1b[0m'), '␛␍✔ succeeded');
    assert.equal(neutraliseLine('x\x1b]0;pwned\x07y'), 'x␛y');
    assert.equal(neutraliseLine('plain · text ✔'), 'plain · text ✔');
  });
});

describe('NeutralisingStream (process output in chunks)', () => {
  const streamed = (chunks: readonly string[]): string[] => {
    const stream = new NeutralisingStream();
    return [...chunks.map((chunk) => stream.push(chunk)), stream.flush()];
  };

  const splits: [string, string[], string][] = [
    ['a CSI split after ESC', ['ok\x1b', '[2Kfake'], 'ok␛fake'],
    ['a CSI split in its parameters', ['ok\x1b[3', '2mgreen\x1b[0', 'm'], 'okgreen'],
    ['an OSC split in its text', ['a\x1b]0;pw', 'ned', '\x07b'], 'a␛b'],
    ['an OSC split inside its ST', ['a\x1b]2;title\x1b', '\\b'], 'a␛b'],
    ['an 8-bit CSI split', ['a\u009b', '2Kb'], 'a␛b'],
    ['\\r\\n split between chunks', ['line\r', '\nnext'], 'line\nnext'],
    [
      'a lone \\r at a chunk end (a progress line redrawn: a line break)',
      ['50%\r', '60%\r', '70%'],
      '50%\n60%\n70%',
    ],
    ['an unfinished sequence at the end of the stream', ['done\x1b[2'], 'done␛2'],
  ];
  for (const [what, chunks, expected] of splits) {
    it(`never lets ${what} through`, () => {
      const parts = streamed(chunks);
      for (const part of parts) assert.doesNotMatch(part, CONTROL);
      assert.equal(parts.join(''), expected);
      assert.equal(
        parts.join(''),
        streamed([chunks.join('')]).join(''),
        'the same as the whole text in one chunk',
      );
    });
  }

  it('every split of the issue attack gives the same safe text', () => {
    const attack = 'held by \x1b[2K\r\x1b[32m✔ succeeded\x1b[0m\x1b]0;pwned\x07 since now\r\n';
    const whole = streamed([attack]).join('');
    assert.equal(whole, neutralise(attack).replace('␍', '\n'), 'as neutralise, a lone \\r as a line break');
    for (let at = 0; at <= attack.length; at++) {
      const parts = streamed([attack.slice(0, at), attack.slice(at)]);
      for (const part of parts) assert.doesNotMatch(part, CONTROL);
      assert.equal(parts.join(''), whole, `split at ${at}`);
    }
  });

  it('holds back nothing from ordinary text', () => {
    const stream = new NeutralisingStream();
    assert.equal(stream.push('line one\nline tw'), 'line one\nline tw');
    assert.equal(stream.push('o\n'), 'o\n');
    assert.equal(stream.flush(), '');
  });

  it('lets a very long unfinished string through inert instead of holding it', () => {
    const stream = new NeutralisingStream();
    const out = stream.push(`\x1b]52;c;${'A'.repeat(5000)}`);
    assert.match(out, /^␛52;c;A+$/);
    assert.equal(stream.flush(), '');
  });
});

describe('escapeMarkdown (outside text in a tooltip)', () => {
  it('leaves no link, autolink, HTML, emphasis or icon syntax, and neutralises escapes', () => {
    const md = escapeMarkdown('[run](command:lendos.runStep) <b>x</b> *y* $(zap) https://evil\x1b]0;t\x07');
    assert.equal(
      md,
      '\\[run\\]\\(command\\:lendos\\.runStep\\) \\<b\\>x\\</b\\> \\*y\\* \\$\\(zap\\) https\\://evil␛',
    );
  });
});
