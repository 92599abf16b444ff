// Stage "config": policies/config.yaml, validated against schemas/config.schema.json, errors with file:line.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Ajv as AjvType, ErrorObject } from 'ajv';
import { ruleOptionValidators, validate as validateConfigSchema } from './config-validator.generated.mjs';
import { NO_OPTIONS_SCHEMA, optionsSchemaHash } from './options-schema.ts';
import type { Node } from 'yaml';
import type { ClusterSettings, Severity } from './types.ts';
import type { Rule } from './rule.ts';
import type { WorkloadKind } from './graph.ts';
import { parseSource, positionOf, walkPath } from './yaml-source.ts';
import { waiverProblem, type WaiverPolicy } from './waiver-validation.ts';

export interface WaiverConfig {
  rule: string;
  cluster?: string;
  object?: string;
  file?: string;
  reason: string;
  expires: string;
  /** Where the waiver is written, for expired-waiver findings. */
  line: number;
}

export interface RuleConfig {
  severity?: Severity | 'off';
  options?: Record<string, unknown>;
  paths?: string[];
  exclude?: string[];
  clusters?: Record<string, { severity?: Severity | 'off'; options?: Record<string, unknown> }>;
}

export interface CheckConfig {
  /** Repository-relative path of the config file ('' when none was found). */
  file: string;
  repositoryUrls: string[];
  defaults: Omit<ClusterSettings, 'name'>;
  clusters: Record<string, Partial<Omit<ClusterSettings, 'name'>>>;
  rules: Record<string, RuleConfig>;
  waivers: WaiverConfig[];
  /** Limits every waiver must respect, config and annotation alike. */
  waiverPolicy?: WaiverPolicy;
  /** Custom kinds with a pod template (config `workloadKinds`). */
  workloadKinds: WorkloadKind[];
}

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(line ? `${file}:${line}: ${message}` : `${file}: ${message}`);
  }
}


export const DEFAULT_KUBERNETES_VERSION = '1.33';

export function defaultConfig(): CheckConfig {
  return {
    file: '',
    repositoryUrls: [],
    defaults: { kubernetesVersion: DEFAULT_KUBERNETES_VERSION, podSecurityMinimum: 'restricted' },
    clusters: {},
    rules: {},
    waivers: [],
    workloadKinds: [],
  };
}

function describeAjvError(error: ErrorObject): string {
  const where = error.instancePath
    ? error.instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.')
    : 'top level';
  if (error.keyword === 'additionalProperties') return `unknown key "${(error.params as any).additionalProperty}" in ${where}`;
  if (error.keyword === 'enum') return `${where} must be one of ${(error.params as any).allowedValues.join(', ')}`;
  if (error.keyword === 'required') return `${where} is missing "${(error.params as any).missingProperty}"`;
  if (error.keyword === 'propertyNames') return `${where} has a key that is not a rule id (area/name)`;
  return `${where} ${error.message}`;
}

function errorPath(error: ErrorObject): (string | number)[] {
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'additionalProperties') segments.push((error.params as any).additionalProperty);
  if (error.keyword === 'propertyNames') segments.push((error.params as any).propertyName);
  return segments.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

let ajv: AjvType | undefined;
/** The validator of a rule's options: generated ahead of time, or compiled now when its optionsSchema has changed since. */
function optionsValidator(rule: Rule<any>): { (data: unknown): boolean; errors?: ErrorObject[] | null } {
  const schema = rule.optionsSchema ?? NO_OPTIONS_SCHEMA;
  const generated = ruleOptionValidators[rule.id];
  if (generated && generated.hash === optionsSchemaHash(schema)) return generated.validate;
  if (!ajv) {
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    ajv = new Ajv({ allErrors: false, strict: false });
  }
  return ajv.compile(schema);
}

/**
 * The rule ids a config names (keys of `rules`, and every `rule:` of a waiver), read without validating it: the
 * rules a partial run must load for loadConfig to check the config. A config that cannot be read names none here;
 * loadConfig reports why.
 */
export function configuredRuleIds(root: string, configPath: string | undefined): string[] {
  try {
    const data: any = parseSource(fs.readFileSync(path.resolve(root, configPath ?? 'policies/config.yaml'), 'utf8')).documents[0]?.toJS({ maxAliasCount: 100 });
    const ids = new Set<string>(data?.rules && typeof data.rules === 'object' ? Object.keys(data.rules) : []);
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'rule' && typeof value === 'string') ids.add(value);
          else walk(value);
        }
      }
    };
    walk(data);
    return [...ids];
  } catch {
    return [];
  }
}

/**
 * Loads and validates the config. `rules` are the known rules, to check ids and options;
 * `today` is the day waiver lifetimes are measured from (waiverPolicy.maxLifetimeDays).
 */
export function loadConfig(root: string, configPath: string | undefined, rules: Rule<any>[], options: { today?: Date } = {}): CheckConfig {
  const explicit = configPath !== undefined;
  const absolute = path.resolve(root, configPath ?? 'policies/config.yaml');
  const display = path.relative(process.cwd(), absolute) || absolute;
  if (!fs.existsSync(absolute)) {
    if (explicit) throw new ConfigError('config file not found', display);
    return defaultConfig();
  }
  if (!fs.statSync(absolute).isFile()) throw new ConfigError('is a folder, not a config file; name a YAML file such as policies/config.yaml', display);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, display);
  }
  const source = parseSource(text);
  if (source.error) throw new ConfigError(`invalid YAML: ${source.error.message}`, display, source.error.line);
  if (source.documents.length !== 1) throw new ConfigError('expected exactly one YAML document', display);
  const doc = source.documents[0];
  let data: any;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    throw new ConfigError(`cannot read: ${(error as Error).message}`, display);
  }
  const root0 = doc.contents as Node | null;
  const lineOf = (p: (string | number)[]) => (root0 ? positionOf(source, walkPath(root0, p).keyNode ?? walkPath(root0, p).node).line : 1);

  // schemas/config.schema.json, compiled by ajv ahead of time (npm run generate:config-validator)
  if (!validateConfigSchema(data)) {
    const error = validateConfigSchema.errors![0];
    throw new ConfigError(describeAjvError(error), display, lineOf(errorPath(error)));
  }

  const byId = new Map(rules.map((r) => [r.id, r]));
  for (const [id, settings] of Object.entries((data.rules ?? {}) as Record<string, RuleConfig>)) {
    const rule = byId.get(id);
    if (!rule) throw new ConfigError(`unknown rule "${id}" (see --list-rules)`, display, lineOf(['rules', id]));
    const optionSets: [(string | number)[], unknown][] = [[['rules', id, 'options'], settings.options]];
    for (const [cluster, perCluster] of Object.entries(settings.clusters ?? {})) {
      optionSets.push([['rules', id, 'clusters', cluster, 'options'], perCluster.options]);
    }
    for (const [where, options] of optionSets) {
      if (options === undefined) continue;
      const validateOptions = optionsValidator(rule);
      if (!validateOptions(options)) {
        const error = validateOptions.errors![0];
        throw new ConfigError(`options of ${id}: ${describeAjvError(error)}`, display, lineOf([...where, ...errorPath(error)]));
      }
    }
  }
  for (const [index, waiver] of ((data.waivers ?? []) as WaiverConfig[]).entries()) {
    if (!byId.has(waiver.rule) && !waiver.rule.startsWith('policy/') && !waiver.rule.startsWith('render/')) {
      throw new ConfigError(`waiver for unknown rule "${waiver.rule}"`, display, lineOf(['waivers', index, 'rule']));
    }
    const problem = waiverProblem(waiver, data.waiverPolicy, options.today);
    if (problem) {
      throw new ConfigError(`invalid waiver: ${problem.message}`, display, lineOf(['waivers', index, problem.field]));
    }
  }

  const defaults = defaultConfig().defaults;
  return {
    file: path.relative(root, absolute).split(path.sep).join('/'),
    repositoryUrls: data.repository?.urls ?? [],
    defaults: { ...defaults, ...(data.defaults ?? {}) },
    clusters: data.clusters ?? {},
    rules: data.rules ?? {},
    waivers: ((data.waivers ?? []) as WaiverConfig[]).map((w, index) => ({ ...w, line: lineOf(['waivers', index]) })),
    waiverPolicy: data.waiverPolicy ?? {},
    workloadKinds: ((data.workloadKinds ?? []) as { group: string; kind: string; podTemplatePath: string }[]).map((w) => ({ group: w.group, kind: w.kind, podTemplatePath: w.podTemplatePath.split('.') })),
  };
}

export function clusterSettings(config: CheckConfig, name: string): ClusterSettings {
  const merged = { ...config.defaults, ...(config.clusters[name] ?? {}) };
  return {
    name,
    kubernetesVersion: String(merged.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION).replace(/^v/, ''),
    capacity: merged.capacity,
    podSecurityMinimum: merged.podSecurityMinimum ?? 'restricted',
    ...(config.defaults.provides || config.clusters[name]?.provides ? { provides: { ...config.defaults.provides, ...config.clusters[name]?.provides } } : {}),
  };
}

/** Severity of a rule on a cluster after config; 'off' disables it. */
export function ruleSeverity(config: CheckConfig, rule: Rule<any>, cluster: string): Severity | 'off' {
  const settings = config.rules[rule.id];
  return settings?.clusters?.[cluster]?.severity ?? settings?.severity ?? rule.severity;
}

export function ruleOptions(config: CheckConfig, rule: Rule<any>, cluster: string): Record<string, unknown> {
  const settings = config.rules[rule.id];
  return { ...(rule.defaultOptions ?? {}), ...(settings?.options ?? {}), ...(settings?.clusters?.[cluster]?.options ?? {}) };
}
