// A rule that throws on one object must not lose its verdict on all the others: find the object(s) whose
// presence makes it throw, by re-running it on graphs without parts of the objects.
import type { RenderedObject } from './types.ts';
import { ClusterGraph } from './graph.ts';

export interface Culprit {
  rendered: RenderedObject;
  error: unknown;
}

export interface Isolation {
  culprits: Culprit[];
  /** The objects the rule runs on without throwing; undefined when it throws even on none (a bug of the rule itself) or too many culprits. */
  rest?: RenderedObject[];
  /** Why isolation gave up, when it did. */
  error?: unknown;
}

/** More culprits than this and the rule is broken for the cluster, not for a few objects. */
const MAX_CULPRITS = 10;

/**
 * `run` evaluates the rule on a graph and throws when the rule does. Each culprit is the object that, added to
 * the shortest failing prefix of the remaining objects, makes the rule throw (binary search: about log2(n) runs
 * per culprit); it is removed and the search repeats until the rule passes on what is left.
 */
export function isolateFailure(cluster: string, objects: readonly RenderedObject[], run: (graph: ClusterGraph) => void): Isolation {
  const failure = (subset: readonly RenderedObject[]): { error: unknown } | undefined => {
    try {
      run(new ClusterGraph(cluster, [...subset]));
      return undefined;
    } catch (error) {
      return { error };
    }
  };
  const onNothing = failure([]);
  if (onNothing) return { culprits: [], error: onNothing.error };
  const culprits: Culprit[] = [];
  let remaining = [...objects];
  let current = failure(remaining);
  while (current) {
    if (culprits.length === MAX_CULPRITS) return { culprits, error: current.error };
    let low = 1;
    let high = remaining.length;
    let error = current.error;
    while (low < high) {
      const middle = (low + high) >> 1;
      const prefix = failure(remaining.slice(0, middle));
      if (prefix) {
        high = middle;
        error = prefix.error;
      } else {
        low = middle + 1;
      }
    }
    culprits.push({ rendered: remaining[high - 1], error });
    remaining = remaining.filter((_, index) => index !== high - 1);
    current = failure(remaining);
  }
  return { culprits, rest: remaining };
}
