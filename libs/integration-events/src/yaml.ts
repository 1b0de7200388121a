/**
 * JSON-like data as block-style YAML, for the committed asyncapi.yaml (no YAML library is a
 * dependency, and the document is plain data). Strings that could read as anything but a string
 * are written double-quoted with JSON's escapes, which YAML's double-quoted style shares.
 */
export function toYaml(value: unknown): string {
  const out: string[] = [];
  if (isContainer(value) && !isEmpty(value)) {
    for (const [key, child] of entriesOf(value)) emit(out, '', key, child);
  } else {
    out.push(scalar(value));
  }
  return `${out.join('\n')}\n`;
}

type Container = Record<string, unknown> | unknown[];

function emit(out: string[], indent: string, key: string | null, value: unknown): void {
  const prefix = key === null ? '-' : `${yamlKey(key)}:`;
  if (!isContainer(value) || isEmpty(value)) {
    out.push(`${indent}${prefix} ${scalar(value)}`);
    return;
  }
  const nested: string[] = [];
  for (const [childKey, child] of entriesOf(value)) emit(nested, `${indent}  `, childKey, child);
  if (key === null && !Array.isArray(value)) {
    // A mapping inside a sequence starts on the dash's line: `- a: 1` / `  b: 2`.
    out.push(`${indent}- ${nested[0].slice(indent.length + 2)}`, ...nested.slice(1));
  } else {
    out.push(`${indent}${prefix}`, ...nested);
  }
}

function entriesOf(value: Container): [string | null, unknown][] {
  return Array.isArray(value) ? value.map((item) => [null, item]) : Object.entries(value).filter(([, child]) => child !== undefined);
}

const isContainer = (value: unknown): value is Container => typeof value === 'object' && value !== null;
const isEmpty = (value: Container) => (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0);

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.\-]*$/;
/** Plain only when YAML cannot read it as another type, a comment, an alias or a mapping. */
const PLAIN_STRING = /^[A-Za-z_][A-Za-z0-9_.\-/ ]*$/;
const YAML_WORDS = /^(true|false|yes|no|on|off|y|n|null|~)$/i;

function yamlKey(key: string): string {
  return PLAIN_KEY.test(key) && !YAML_WORDS.test(key) ? key : JSON.stringify(key);
}

function scalar(value: unknown): string {
  if (Array.isArray(value)) return '[]';
  if (isContainer(value)) return '{}';
  if (typeof value === 'string') return PLAIN_STRING.test(value) && !YAML_WORDS.test(value) && !value.endsWith(' ') ? value : JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(value);
}
