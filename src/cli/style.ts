// Terminal colour, decided once: NO_COLOR, --ansi, and whether stderr is a TTY.

let mode: 'auto' | 'always' | 'never' = 'auto';
let enabled = !process.env.NO_COLOR && Boolean(process.stderr.isTTY);

export function setColor(m: 'auto' | 'always' | 'never'): void {
  mode = m;
  if (m === 'always') enabled = true;
  else if (m === 'never') enabled = false;
}

/** Whether text for `stream` (stdout for logs) gets colour: --ansi first, then NO_COLOR and the stream's TTY-ness. */
export function colorFor(stream: { isTTY?: boolean }): boolean {
  if (mode !== 'auto') return mode === 'always';
  return !process.env.NO_COLOR && Boolean(stream.isTTY);
}

const wrap = (open: number, close: number) => (s: string) => (enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s);

export const paint = {
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  bold: wrap(1, 22),
  dim: wrap(2, 22),
};

/**
 * docker compose's rotation of log prefix colours: cyan, yellow, green,
 * magenta, blue, then their bright forms. SGR parameters, reset with 0.
 */
export const LOG_COLORS = ['36', '33', '32', '35', '34', '36;1', '33;1', '32;1', '35;1', '34;1'] as const;

/** `text` in the SGR colour `code`, always (the caller decided colour is on). */
export function sgr(code: string, text: string): string {
  return `\u001b[${code}m${text}\u001b[0m`;
}
