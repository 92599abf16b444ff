// Stage "malformed objects -> findings": one render/malformed-object finding per object the shape check left out.
import type { Finding, ObjectRef } from './types.ts';
import type { MalformedObject } from './object-shape.ts';
import { describeRef } from './identity.ts';
import { locate, type SourceReader } from './locate.ts';
import { fingerprintOf } from './fingerprint.ts';

export const MALFORMED_OBJECT_RULE = 'render/malformed-object';

/** Problems listed in one message; the rest are counted, since the first ones are what a person fixes first. */
const LISTED_PROBLEMS = 3;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** The object's identity as far as it can be read; undefined when it has no usable kind or name. */
export function readableRef(object: unknown): ObjectRef | undefined {
  if (!object || typeof object !== 'object' || Array.isArray(object)) return undefined;
  const record = object as Record<string, any>;
  const meta = record.metadata && typeof record.metadata === 'object' && !Array.isArray(record.metadata) ? record.metadata : {};
  const kind = text(record.kind);
  const name = text(meta.name);
  if (!kind || !name) return undefined;
  const ref: ObjectRef = { apiVersion: text(record.apiVersion) ?? '', kind, name };
  const namespace = text(meta.namespace);
  if (namespace) ref.namespace = namespace;
  return ref;
}

function describeMalformed(object: unknown, ref: ObjectRef | undefined): string {
  // with a malformed apiVersion describeRef would read it as a custom resource's group ("NetworkPolicy.")
  if (ref) return ref.apiVersion ? describeRef(ref) : `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
  const record = (object && typeof object === 'object' && !Array.isArray(object) ? object : {}) as Record<string, any>;
  const kind = text(record.kind);
  const name = text(record.metadata?.name);
  if (kind) return `${kind} without a name`;
  return name ? `object ${name} without a kind` : 'an object without kind or name';
}

export function malformedObjectFindings(cluster: string, malformed: MalformedObject[], read: SourceReader): Finding[] {
  return malformed.map(({ rendered, problems }) => {
    const ref = readableRef(rendered.object);
    const listed = problems.slice(0, LISTED_PROBLEMS).map((p) => p.message);
    const more = problems.length - listed.length;
    const message =
      `${describeMalformed(rendered.object, ref)} is malformed: ${listed.join('; ')}${more > 0 ? ` (and ${more} more)` : ''}; ` +
      'the API server would reject it, and no other rule checks it until it is fixed';
    const path = problems[0].path;
    const finding: Finding = {
      rule: MALFORMED_OBJECT_RULE,
      severity: 'error',
      cluster,
      message,
      fingerprint: fingerprintOf(MALFORMED_OBJECT_RULE, cluster, ref, path, ref ? '' : `${rendered.entryPoint}|${rendered.origin.file ?? ''}`),
    };
    if (ref) finding.object = ref;
    if (path.length > 0) finding.path = path;
    const location = locate(rendered, path, read);
    if (location) finding.location = location;
    return finding;
  });
}
