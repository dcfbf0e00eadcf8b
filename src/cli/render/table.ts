// Plain column tables, as docker prints them through Go's tabwriter: a header,
// each column as wide as its widest cell plus the padding (and at least
// `minWidth`), the last column unpadded.

export interface TableStyle {
  /** Spaces after each cell but the last; docker uses 3 (2 for `top`). */
  padding?: number;
  /** The narrowest a padded column may be; docker's ps uses 10. */
  minWidth?: number;
}

export function table(header: string[], rows: string[][], style: TableStyle = {}): string {
  const padding = style.padding ?? 3;
  const minWidth = style.minWidth ?? 0;
  const columns = header.length;
  const widths = header.map((h, i) => {
    let w = h.length;
    for (const r of rows) w = Math.max(w, (r[i] ?? '').length);
    return Math.max(w + padding, minWidth);
  });
  const line = (cells: string[]) => {
    let out = '';
    for (let i = 0; i < columns; i++) {
      const cell = cells[i] ?? '';
      out += i === columns - 1 ? cell : cell.padEnd(widths[i]!);
    }
    return out.trimEnd();
  };
  let text = line(header) + '\n';
  for (const r of rows) text += line(r) + '\n';
  return text;
}
