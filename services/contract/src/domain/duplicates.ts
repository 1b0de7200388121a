/** The ids listed more than once, each once: a request naming a line twice is refused, not silently merged. */
export function duplicates(ids: readonly string[]): string[] {
  return [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
}
