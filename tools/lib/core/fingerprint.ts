import { createHash } from 'node:crypto';
import type { FieldPath, ObjectRef } from './types.ts';
import { formatPath } from './yaml-source.ts';
import { objectKey } from './identity.ts';

/** Identity of a finding that survives line moves: rule, cluster, object identity, field path (and a rule's own key). */
export function fingerprintOf(rule: string, cluster: string, object: ObjectRef | undefined, path: FieldPath | undefined, key = ''): string {
  const identity = object ? objectKey(object) : '';
  return createHash('sha256')
    .update([rule, cluster, identity, formatPath(path ?? []), key].join('\n'))
    .digest('hex')
    .slice(0, 24);
}
