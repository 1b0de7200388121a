/** `{ [key]: trimmed }` for text with something in it, `{}` otherwise: an optional field left blank is absent, not ''. */
export const optional = <K extends string>(key: K, value: string | undefined) =>
  (value?.trim() ? { [key]: value.trim() } : {}) as Partial<Record<K, string>>;
