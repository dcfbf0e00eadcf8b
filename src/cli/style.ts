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

const SERVICE_COLORS = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

/** A stable colour per service for log prefixes (stdout's TTY-ness decides, not stderr's). */
export function servicePainter(color: boolean): (service: string, text: string) => string {
  const on = color && !process.env.NO_COLOR && Boolean(process.stdout.isTTY);
  const assigned = new Map<string, number>();
  return (service, text) => {
    if (!on) return text;
    let c = assigned.get(service);
    if (c === undefined) {
      c = SERVICE_COLORS[assigned.size % SERVICE_COLORS.length]!;
      assigned.set(service, c);
    }
    return `\u001b[${c}m${text}\u001b[39m`;
  };
}
