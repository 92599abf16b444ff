// Plain data between Helm discovery (what a HelmRelease or Argo CD Helm source asks for) and Helm rendering.
import type { SourceLocation } from '../core/types.ts';
import type { ChartRef } from './chart-cache.ts';
import type { ValueLeaf, Values } from './values.ts';

export type ChartLocation =
  | { kind: 'repository'; ref: ChartRef }
  /** A chart folder inside this repository (repository-relative). */
  | { kind: 'local'; path: string };

/** One kustomize post-renderer (Flux postRenderers[].kustomize): patches and images applied to helm's output. */
export interface PostRenderer {
  patches?: unknown[];
  images?: unknown[];
}

/** One release as the reconciler would install it. */
export interface HelmRelease {
  cluster: string;
  engine: 'flux' | 'argocd';
  /** The reconciler object, e.g. "HelmRelease cert-manager/cert-manager" or "Application argocd/ingress-nginx". */
  name: string;
  /** Where the chart is named in the repository: the line findings in chart output fall back to. */
  declaredIn?: SourceLocation;
  chart: ChartLocation;
  /** "cert-manager v1.16.2 from https://charts.jetstack.io", for messages. */
  chartLabel: string;
  releaseName: string;
  namespace: string;
  /** The values helm gets, merged in the reconciler's order. */
  values: Values;
  /** The leaves in effect and the repository line that wrote each. */
  valueLeaves: ValueLeaf[];
  includeCrds: boolean;
  noHooks: boolean;
  postRenderers: PostRenderer[];
  /** Argo CD helm.kubeVersion / helm.apiVersions override the cluster's. */
  kubeVersion?: string;
  apiVersions?: string[];
  /** The reconciler creates the release namespace (Argo CD CreateNamespace=true with managedNamespaceMetadata, Flux install.createNamespace). */
  createNamespace?: { labels: Record<string, string>; annotations: Record<string, string>; declaredIn?: SourceLocation };
  /** Flux dependsOn: releases that must be ready first (namespace defaulted). */
  dependsOn: { name: string; namespace: string }[];
}

export type { HelmOrigin } from '../core/types.ts';
