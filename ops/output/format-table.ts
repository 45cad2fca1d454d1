/**
 * A compact text table: a header row, then one row per entry, columns padded to their widest cell
 * and separated by two spaces; an empty table prints `(none)` under its header.
 * @example formatTable(['id', 'status'], [['range/0-3', 'running']])
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...(rows.length === 0 ? ['(none)'] : rows.map(line))].join('\n');
}
