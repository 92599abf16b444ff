// What an API validation check hands its rule: one field the API server (or its admission) would refuse.
import type { FieldPath, K8sObject } from '../core/types.ts';
import type { MessageData, RelatedPlace } from '../core/rule.ts';

export interface ApiProblem {
  object: K8sObject;
  path: FieldPath;
  messageId: string;
  data: MessageData;
  /** Distinguishes several problems on one field (each upstream message is its own error). */
  key?: string;
  related?: RelatedPlace[];
}
