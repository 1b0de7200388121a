/** A plain text table: one header row, columns as wide as their widest cell. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  const cell = (value: unknown) => (value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
  const line = (cells: string[]) => cells.map((text, i) => text.padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns), ...rows.map((row) => line(columns.map((column) => cell(row[column]))))].join('\n');
}

export const json = (value: unknown) => JSON.stringify(value, null, 2);
