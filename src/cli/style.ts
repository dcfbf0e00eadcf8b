// Terminal colour, decided once: NO_COLOR, --ansi, and whether stderr is a TTY.

let enabled = !process.env.NO_COLOR && Boolean(process.stderr.isTTY);

export function setColor(mode: 'auto' | 'always' | 'never'): void {
  if (mode === 'always') enabled = true;
  else if (mode === 'never') enabled = false;
}

const wrap = (open: number, close: number) => (s: string) => (enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s);

export const paint = {
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  bold: wrap(1, 22),
  dim: wrap(2, 22),
};
