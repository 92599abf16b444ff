// Fits a comment made of sections under a size limit by dropping whole list items (never
// cutting inside one), lowest-priority sections first, and says what it dropped.

export interface CommentSection {
  /** Always kept (verdict, footer). */
  required?: boolean;
  /** Printed before the first kept item (heading, `<details><summary>`...). */
  head?: string;
  /** Each item is complete markdown (one list entry with its own newline). */
  items?: string[];
  /** Printed after the kept items (`</details>`...). */
  tail?: string;
  /** Lower numbers are cut first; required sections are never cut. */
  priority?: number;
  /** What an item is, for the cut note: "new findings". */
  unit?: string;
}

export interface FitResult {
  markdown: string;
  /** What was left out, e.g. [{unit: 'fixed findings', omitted: 40, total: 40}]. */
  cuts: { unit: string; omitted: number; total: number }[];
}

/** GitHub rejects issue comment bodies over 65,536 characters (422 "body is too long"). */
export const GITHUB_COMMENT_LIMIT = 65_536;

function omittedLine(omitted: number, unit: string): string {
  return `\n_… ${omitted} more ${unit} not shown (comment size limit)._\n`;
}

/**
 * `limit` is compared with the JavaScript string length (UTF-16 code units), which is never
 * below the number of characters GitHub counts, so the check errs on the safe side.
 */
export function fitSections(sections: CommentSection[], limit: number, cutNote: (cuts: FitResult['cuts']) => string): FitResult {
  const kept = sections.map((s) => ({ section: s, count: s.items?.length ?? 0 }));
  const render = (): string => kept.map(({ section, count }) => renderSection(section, count)).join('');

  let markdown = render();
  if (markdown.length <= limit) return { markdown, cuts: [] };

  // Drop items from the end of the lowest-priority cuttable section until it fits.
  const order = kept
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry }) => !entry.section.required && (entry.section.items?.length ?? 0) > 0)
    .sort((a, b) => (a.entry.section.priority ?? 0) - (b.entry.section.priority ?? 0) || b.index - a.index);

  const cuts = (): FitResult['cuts'] =>
    kept
      .filter(({ section, count }) => (section.items?.length ?? 0) > count)
      .map(({ section, count }) => ({ unit: section.unit ?? 'items', omitted: section.items!.length - count, total: section.items!.length }));
  const total = (): number => render().length + cutNote(cuts()).length;

  for (const { entry } of order) {
    // Remove items one size-estimate at a time, then adjust; rendering is linear so this stays cheap.
    while (entry.count > 0 && total() > limit) {
      const excess = total() - limit;
      let freed = 0;
      let drop = 0;
      while (entry.count - drop > 0 && freed < excess) {
        freed += entry.section.items![entry.count - drop - 1].length;
        drop++;
      }
      entry.count -= Math.max(1, drop);
    }
    if (total() <= limit) break;
  }

  markdown = render() + cutNote(cuts());
  if (markdown.length > limit) {
    // Only the required sections are left and they alone are too long: keep the note and a
    // clean, unbroken prefix of whole required sections.
    let fallback = '';
    const note = cutNote(cuts());
    for (const { section } of kept.filter(({ section }) => section.required)) {
      const part = renderSection(section, section.items?.length ?? 0);
      if (fallback.length + part.length + note.length > limit) break;
      fallback += part;
    }
    markdown = fallback + note;
  }
  return { markdown, cuts: cuts() };
}

function renderSection(section: CommentSection, count: number): string {
  const items = section.items ?? [];
  if (items.length > 0 && count === 0 && !section.required) return '';
  const omitted = items.length - count;
  return (
    (section.head ?? '') +
    items.slice(0, count).join('') +
    (omitted > 0 ? omittedLine(omitted, section.unit ?? 'items') : '') +
    (section.tail ?? '')
  );
}
