// A KUSTOMIZE= wrapper around kubectl kustomize that logs each build, for tests that count renders.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { forgetKustomize } from '../../tools/lib/render/kustomize.ts';

export interface RenderLog {
  /** A fresh folder of this test, beside the log. */
  dir: string;
  /** The builds so far, one line each, sorted: "<folder>" or, with withAnnotations, "annotated|bare <folder>". */
  renders(): string[];
  forget(): void;
  /** The wrapper script itself (a test may edit it to look like another kustomize). */
  wrapper: string;
}

/** Installs the wrapper for every test of the file; each line names the folder built (in place or in its work copy), or for a generated or annotating kustomization the first path it lists. */
export function useLoggingKustomize(prefix: string, options: { withAnnotations?: boolean } = {}): RenderLog {
  const state = { dir: '', log: '', wrapper: '', previous: undefined as string | undefined };
  beforeEach(() => {
    state.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    state.log = path.join(state.dir, 'renders.log');
    state.wrapper = path.join(state.dir, 'kustomize');
    const kind = options.withAnnotations ? `if grep -q buildMetadata "$dir/kustomization.yaml"; then kind='annotated '; else kind='bare '; fi\n` : `kind=''\n`;
    fs.writeFileSync(
      state.wrapper,
      `#!/bin/sh
if [ "$1" = version ]; then echo v5; exit 0; fi
shift
dir=""; for a in "$@"; do case "$a" in -*|LoadRestrictions*) ;; *) [ -z "$dir" ] && dir="$a";; esac; done
${kind}base=$(basename "$dir"); case "$base" in .policy-check-entry-*|policy-check-wrap-*) base=$(grep -A1 '^resources:' "$dir/kustomization.yaml" | tail -1 | sed 's#.*/##');; esac
echo "$kind$base" >> ${state.log}
exec kubectl kustomize "$@"
`,
      { mode: 0o755 },
    );
    state.previous = process.env.KUSTOMIZE;
    process.env.KUSTOMIZE = state.wrapper;
    forgetKustomize();
  });
  afterEach(() => {
    if (state.previous === undefined) delete process.env.KUSTOMIZE;
    else process.env.KUSTOMIZE = state.previous;
    forgetKustomize();
  });
  return {
    get dir() {
      return state.dir;
    },
    get wrapper() {
      return state.wrapper;
    },
    renders: () => (fs.existsSync(state.log) ? fs.readFileSync(state.log, 'utf8').trim().split('\n').filter(Boolean).sort() : []),
    forget: () => fs.rmSync(state.log, { force: true }),
  };
}
