/**
 * Every module specifier in a source text: static and type imports, side-effect imports,
 * re-exports (`export … from`), dynamic `import('…')` and `require('…')`. A text scan, not a parse:
 * specifiers are string literals, so one written in a comment counts too (the callers check that
 * what they find resolves, which catches such a stray).
 */
export function specifiersOf(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1] as string));
}
