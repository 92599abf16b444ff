// Position markers in RuleTester YAML: `⟦name⟧` written where a finding must point, stripped before parsing.
// A marker stands immediately before the first character of the reported node (for `image: x` that is the `i`),
// so a case states line and column without anybody counting lines.

export const MARKER = /⟦([A-Za-z0-9_-]+)⟧/g;

export interface MarkedText {
  /** The YAML with every marker removed. */
  text: string;
  /** Marker name -> 1-based line and column in `text`. */
  markers: Map<string, { line: number; column: number }>;
}

/** Strips the markers out of `marked`; a marker written twice is the test's mistake, so it throws. */
export function stripMarkers(marked: string): MarkedText {
  const markers = new Map<string, { line: number; column: number }>();
  const lines = marked.split('\n').map((line, index) => {
    let removed = 0;
    return line.replace(MARKER, (whole, name: string, offset: number) => {
      if (markers.has(name)) throw new Error(`marker ⟦${name}⟧ is written twice`);
      markers.set(name, { line: index + 1, column: offset - removed + 1 });
      removed += whole.length;
      return '';
    });
  });
  return { text: lines.join('\n'), markers };
}

/**
 * Puts markers into YAML a shared builder wrote: each snippet is a piece of `yaml` with markers in it, found by its
 * text (markers stripped), which must occur exactly once. `withMarkers(deployment('nginx:latest'), '⟦1⟧image: nginx:latest')`.
 */
export function withMarkers(yaml: string, ...snippets: string[]): string {
  let out = yaml;
  for (const snippet of snippets) {
    const { text, markers } = stripMarkers(snippet);
    if (markers.size === 0) throw new Error(`snippet "${snippet}" has no marker`);
    const at = out.indexOf(text);
    if (at < 0) throw new Error(`snippet "${text}" is not in the case YAML`);
    if (out.indexOf(text, at + 1) >= 0) throw new Error(`snippet "${text}" occurs more than once in the case YAML; make it longer`);
    out = out.slice(0, at) + snippet + out.slice(at + text.length);
  }
  return out;
}
