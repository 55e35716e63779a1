/**
 * Outside text (Lease holders, pod log lines, Job messages, script output, GitHub data) made safe to show in a
 * terminal, a tree label, a log channel or Markdown: it can never act as a control sequence.
 *
 * - An escape sequence (CSI `ESC[…`, OSC `ESC]…BEL|ST` such as a window title, DCS/SOS/PM/APC strings, two-character
 *   `ESC x` sequences) and its 8-bit C1 form (U+009B CSI, U+009D OSC, …) becomes one visible `␛`, parameters and all;
 *   a colour change (SGR, `ESC[…m`) is only styling and is dropped without a mark.
 * - Any other C1 control (U+0080–U+009F) becomes `␛` too (each is the 8-bit form of an `ESC x` pair).
 * - C0 controls other than `\n` and `\t` and DEL become their Unicode Control Pictures (BEL `␇`, backspace `␈`, …),
 *   so a person sees that something odd was there and nothing acts on the terminal.
 * - `\r\n` becomes `\n`; a lone `\r`, which would overwrite the line, is shown as `␍` — except in process output
 *   (`NeutralisingStream`), where it is the redraw of a progress line and becomes a line break.
 * - Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are removed: the text reads in its
 *   stored order.
 * Ordinary Unicode (accents, CJK, emoji) is untouched. One regular-expression pass; text without controls is
 * returned as it is.
 */

/** The visible mark left where an escape sequence or a C1 control was. */
export const ESCAPE_MARK = '\u241b';
/** The visible mark of a line break inside a single line (`neutraliseLine`). */
export const NEWLINE_MARK = '\u2424';
/** The visible mark of a lone carriage return. */
export const CARRIAGE_RETURN_MARK = '\u240d';

/** The rest of a CSI after its introducer: parameters, intermediates, the final byte. */
const CSI_BODY = String.raw`[0-?]*[ -/]*[@-~]`;
/** The rest of an OSC/DCS/SOS/PM/APC string: up to BEL or ST, never across a line. */
const STRING_BODY = String.raw`[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)`;
const SEQUENCE = [
  String.raw`\x1b(?:\[${CSI_BODY}|[\]PX^_]${STRING_BODY}|[ -/]*[0-~])?`, // ESC: CSI, string, two characters, or alone
  String.raw`\x9b${CSI_BODY}`, // C1 CSI
  String.raw`[\x90\x98\x9d\x9e\x9f]${STRING_BODY}`, // C1 DCS, SOS, OSC, PM, APC
  String.raw`[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]`, // any other control, bidi controls
].join('|');

const MULTI_LINE = new RegExp(`\\r\\n?|${SEQUENCE}`, 'g');
const SINGLE_LINE = new RegExp(`\\r\\n?|\\n|\\t|${SEQUENCE}`, 'g');
const SGR = /^(?:\x1b\[|\x9b)[\d;:]*m$/; // eslint-disable-line no-control-regex

/** What `\r\n` and `\n` (`newline`) and a lone `\r` become. */
interface Breaks {
  readonly newline: string;
  readonly carriageReturn: string;
}
const IN_TEXT: Breaks = { newline: '\n', carriageReturn: CARRIAGE_RETURN_MARK };
const IN_LINE: Breaks = { newline: NEWLINE_MARK, carriageReturn: CARRIAGE_RETURN_MARK };
const IN_OUTPUT: Breaks = { newline: '\n', carriageReturn: '\n' };

function replacement(match: string, breaks: Breaks): string {
  const first = match.charCodeAt(0);
  if (first === 0x0d) return match.length === 2 ? breaks.newline : breaks.carriageReturn;
  if (first === 0x0a) return breaks.newline;
  if (first === 0x09) return ' ';
  if (match.length > 1 || first === 0x1b || (first >= 0x80 && first <= 0x9f))
    return SGR.test(match) ? '' : ESCAPE_MARK;
  if (first === 0x7f) return '\u2421';
  if (first < 0x20) return String.fromCharCode(0x2400 + first);
  return ''; // bidi controls
}

const inText = (match: string) => replacement(match, IN_TEXT);
const inLine = (match: string) => replacement(match, IN_LINE);
const inOutput = (match: string) => replacement(match, IN_OUTPUT);

/** Outside text safe for a terminal or a log: escapes inert and visible, line breaks kept as `\n`, tabs kept. */
export function neutralise(text: string): string {
  return text.replace(MULTI_LINE, inText);
}

/** Outside text as one line (a tree label, a description, a table cell): also line breaks shown as `␤`, tabs as spaces. */
export function neutraliseLine(text: string): string {
  return text.replace(SINGLE_LINE, inLine);
}

/**
 * The unfinished end of a chunk: a sequence that the next chunk may complete (`ESC`, `ESC[12`, an OSC without its
 * terminator yet), or a `\r` whose `\n` may come next.
 */
const UNFINISHED =
  /(?:\r|\x1b(?:\[[0-?]*[ -/]*|[\]PX^_][^\x07\x1b\x9c\n]*\x1b?|[ -/]*)|\x9b[0-?]*[ -/]*|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c\n]*\x1b?)$/; // eslint-disable-line no-control-regex
/** At most this much of a chunk's end is held back; a longer unfinished sequence is shown inert as it is. */
const MAX_HELD = 1024;

/**
 * `neutralise` for process output that arrives in chunks: a sequence split across two chunks is held back until the
 * next one completes it, so it is recognised whole and never reaches the terminal in two halves. A lone `\r` (a
 * progress line redrawn) becomes a line break.
 */
export class NeutralisingStream {
  private held = '';

  /** The safe text of everything up to the chunk's unfinished end, which waits for the next chunk or `flush`. */
  push(chunk: string): string {
    const text = this.held + chunk;
    const from = Math.max(0, text.length - MAX_HELD);
    const unfinished = UNFINISHED.exec(from === 0 ? text : text.slice(from));
    const cut = unfinished ? from + unfinished.index : text.length;
    this.held = text.slice(cut);
    return (cut === text.length ? text : text.slice(0, cut)).replace(MULTI_LINE, inOutput);
  }

  /** What was held back, made safe as it is: the stream ended, or other text is about to be written. */
  flush(): string {
    const text = this.held;
    this.held = '';
    return text === '' ? '' : text.replace(MULTI_LINE, inOutput);
  }
}

/** Outside text inside Markdown (a tooltip): no link, image, HTML, emphasis, heading or `$(icon)` can come of it. */
export function escapeMarkdown(text: string): string {
  return neutralise(text).replace(/[\\`*_{}[\]()#+\-.!|~<>$&:@]/g, '\\$&');
}

/** A stack frame line of a log (`\tat com.x.Y(Y.java:1)`, `    at f (file.js:1:2)`), also behind a `[pod] ` prefix. */
export function isStackFrame(line: string): boolean {
  return /^(\[[^\]]*\] ?)?(\s+at\s|\t)/.test(line);
}
