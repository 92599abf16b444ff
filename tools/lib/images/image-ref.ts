// Container image references, split the way the container runtime reads them.

export interface ImageRef {
  /** Registry and repository, e.g. registry.local:5000/team/app. */
  name: string;
  tag?: string;
  digest?: string;
}

export function parseImage(image: string): ImageRef {
  const [withoutDigest, digest] = image.split('@', 2);
  const lastSlash = withoutDigest.lastIndexOf('/');
  const lastColon = withoutDigest.lastIndexOf(':');
  if (lastColon > lastSlash) return { name: withoutDigest.slice(0, lastColon), tag: withoutDigest.slice(lastColon + 1), digest };
  return { name: withoutDigest, digest };
}
