// "did you mean" for a rule id given on the command line (--rule, --skip-rule, --explain).
import { closest, editDistance } from '../references/did-you-mean.ts';

/** The known ids close enough to be what was meant: the same name in another area first, then small typos. */
export function ruleSuggestions(wanted: string, known: readonly string[]): string[] {
  const name = wanted.includes('/') ? wanted.slice(wanted.indexOf('/') + 1) : wanted;
  const sameName = known.filter((id) => id.slice(id.indexOf('/') + 1) === name && id !== wanted);
  if (sameName.length) return sameName;
  const limit = Math.max(2, Math.floor(wanted.length / 4));
  return closest(wanted, known, 3).filter((id) => editDistance(wanted, id) <= limit);
}

/** `unknown rule "x" (did you mean "y"?); see --list-rules`, every unknown id in one message. */
export function unknownRulesMessage(unknown: readonly string[], known: readonly string[]): string {
  const parts = unknown.map((id) => {
    const suggestions = ruleSuggestions(id, known).map((s) => `"${s}"`);
    const hint = suggestions.length === 0 ? '' : suggestions.length === 1 ? ` (did you mean ${suggestions[0]}?)` : ` (did you mean one of ${suggestions.join(', ')}?)`;
    return `"${id}"${hint}`;
  });
  return `unknown rule ${parts.join(', ')}; see --list-rules`;
}
