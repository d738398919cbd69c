/**
 * ANSI styling with colour switched on or off by the caller (`--ansi`, `--no-color`, NO_COLOR), never
 * by a global: a palette with colour off returns its input unchanged, so every renderer is written
 * once and tested as plain text.
 */
export type Style = (text: string) => string;

export interface Palette {
  readonly enabled: boolean;
  bold: Style;
  dim: Style;
  red: Style;
  green: Style;
  yellow: Style;
  blue: Style;
  magenta: Style;
  cyan: Style;
}

const sgr =
  (open: number, close: number): Style =>
  (text) =>
    text === '' ? '' : `\u001b[${open}m${text}\u001b[${close}m`;

const plain: Style = (text) => text;

export function createPalette(enabled: boolean): Palette {
  if (!enabled)
    return {
      enabled,
      bold: plain,
      dim: plain,
      red: plain,
      green: plain,
      yellow: plain,
      blue: plain,
      magenta: plain,
      cyan: plain,
    };
  return {
    enabled,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    blue: sgr(34, 39),
    magenta: sgr(35, 39),
    cyan: sgr(36, 39),
  };
}

/**
 * Colours cycled through for log prefixes, as Compose does: six hues (no grey or white, which vanish
 * on some backgrounds), then their bright variants. Index n is the n-th service to print.
 */
const rainbowCodes = [36, 33, 32, 35, 34, 31, 96, 93, 92, 95, 94, 91];

export function rainbow(index: number, enabled: boolean): Style {
  if (!enabled) return plain;
  const code = rainbowCodes[index % rainbowCodes.length] ?? 36;
  return sgr(code, 39);
}

// CSI sequences (colours, cursor moves, erase) and OSC sequences (titles, hyperlinks).
// eslint-disable-next-line no-control-regex
const ansiPattern = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ansiPattern, '');
}

/** Columns a code point takes in a terminal: 2 for East Asian wide and emoji, 0 for combining marks. */
function codePointWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || cp === 0xfe0f) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

/** How many terminal columns `text` takes once printed (escape sequences take none). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of stripAnsi(text)) width += codePointWidth(char.codePointAt(0) ?? 0);
  return width;
}

/** Pads with spaces on the right to `width` columns (never cuts). */
export function padEnd(text: string, width: number): string {
  const missing = width - displayWidth(text);
  return missing > 0 ? text + ' '.repeat(missing) : text;
}

/** Pads with spaces on the left to `width` columns (never cuts). */
export function padStart(text: string, width: number): string {
  const missing = width - displayWidth(text);
  return missing > 0 ? ' '.repeat(missing) + text : text;
}

/**
 * Cuts plain text to at most `width` columns, ending with `…` when something was cut.
 * Callers truncate before styling, so no escape sequence is ever split.
 */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = codePointWidth(char.codePointAt(0) ?? 0);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return `${out}…`;
}
