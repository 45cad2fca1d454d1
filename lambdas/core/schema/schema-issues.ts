import type { z } from 'zod';

/**
 * Renders zod issues as `path: <what was expected> (got <value>)` lines, so that every boundary error
 * names the field, the value received and what was expected.
 */
export function describeIssues(error: z.ZodError, input: unknown, root = ''): string[] {
  return error.issues.map((issue) => {
    const path = formatPath(root, issue.path);
    const got = valueAt(input, issue.path);
    return `${path}: ${issue.message} (got ${renderValue(got)})`;
  });
}

function formatPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function renderValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
