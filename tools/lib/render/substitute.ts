// Flux postBuild variable substitution, as kustomize-controller applies it to each rendered object.

export const SUBSTITUTE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/substitute';

/**
 * Replaces ${var}, ${var:=default}, ${var:-default} and ${var=default}; $${var} is an escape for a literal ${var}.
 * An unset variable without default becomes the empty string, as in Flux's non-strict mode.
 */
export function substituteVariables(text: string, variables: Record<string, string>): string {
  return text.replace(/\$(\$?)\{([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[=-])([^}]*))?\}/g, (match, escape, name, operator, fallback) => {
    if (escape) return match.slice(1);
    const value = variables[name];
    if (value !== undefined && !(operator?.startsWith(':') && value === '')) return value;
    return operator ? (fallback ?? '') : '';
  });
}
