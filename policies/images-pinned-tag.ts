import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { containersOf } from '../tools/lib/core/graph.ts';
import { parseImage } from '../tools/lib/images/image-ref.ts';

interface Options {
  /** Tags that float like latest. */
  forbiddenTags: string[];
  /** Require an @sha256 digest (production). */
  requireDigest: boolean;
}

export { parseImage };

export default defineRule<Options>({
  id: 'images/pinned-tag',
  severity: 'error',
  description: 'Every container image names an explicit, non-floating tag or a digest',
  rationale:
    'An image without a tag, or with a floating tag such as latest, changes under a running Deployment: two pods of the same ' +
    'ReplicaSet can run different code, a rollback does not roll back, and what was reviewed in the pull request is not what runs. ' +
    'GitOps promises that git describes the cluster; a floating tag breaks that promise silently.',
  howToFix:
    'Name the exact version, or pin the digest:\n\n' +
    '  image: nats:2.10.22-alpine\n' +
    '  image: nats:2.10.22-alpine@sha256:<digest>\n\n' +
    'In an overlay, use the kustomization `images:` field (newTag / digest) instead of editing the base.',
  messages: {
    noImage: '{{container}} has no image',
    noDigest: '{{container}} uses "{{image}}" without a @sha256 digest',
    noTag: '{{container}} uses "{{image}}" with no tag, which means latest',
    floatingTag: '{{container}} uses the floating tag "{{tag}}" in "{{image}}"',
  },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      forbiddenTags: { type: 'array', items: { type: 'string' }, description: 'Tags that float like latest (compared without case)' },
      requireDigest: { type: 'boolean', description: 'Require an @sha256 digest on every image (for production)' },
    },
  },
  defaultOptions: { forbiddenTags: ['latest', 'main', 'master', 'edge', 'stable', 'dev'], requireDigest: false },
  check({ graph, options, report }) {
    for (const template of graph.podTemplates) {
      for (const { container, path } of containersOf(template)) {
        const image = container.image;
        const where = `container "${container.name}" of ${describeRef(refOf(template.owner))}`;
        if (typeof image !== 'string' || image.trim() === '') {
          report({ object: template.owner, path, messageId: 'noImage', data: { container: where } });
          continue;
        }
        const { tag, digest } = parseImage(image);
        if (options.requireDigest && !digest) {
          report({ object: template.owner, path: [...path, 'image'], messageId: 'noDigest', data: { container: where, image }, fix: `image: ${image}@sha256:<digest>` });
        } else if (!tag && !digest) {
          report({ object: template.owner, path: [...path, 'image'], messageId: 'noTag', data: { container: where, image }, fix: `image: ${image}:<version>` });
        } else if (tag && !digest && options.forbiddenTags.includes(tag.toLowerCase())) {
          report({ object: template.owner, path: [...path, 'image'], messageId: 'floatingTag', data: { container: where, image, tag } });
        }
      }
    }
  },
});
