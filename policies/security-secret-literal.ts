import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { containersOf } from '../tools/lib/core/graph.ts';
import { secretLiteralReason } from '../tools/lib/security/secret-literals.ts';

interface Options {
  /** Names that match the credential pattern but hold no secret (`OAUTH_TOKEN_URL` does not match; `CSRF_TOKEN`-like flags might). */
  allowNames: string[];
}

export default defineRule<Options>({
  id: 'security/secret-literal',
  severity: 'error',
  description: 'No env value or ConfigMap entry that looks like a secret (*_PASSWORD, *_TOKEN, *_SECRET, *_API_KEY, PEM private keys) is written as a literal',
  rationale:
    'Whatever is written in a manifest is in git forever, in every clone and fork, in CI logs and in the rendered objects ' +
    'anyone with read access to Deployments or ConfigMaps can see. Seeds 001 and 004 keep credentials in Secrets fed by ' +
    'External Secrets; a literal `DB_PASSWORD: hunter2` bypasses that, cannot be rotated without a commit, and is ' +
    'readable by everyone who can read the Deployment (reading Secrets is a separate, audited permission). A value that ' +
    'only references other variables (`$(DB_PASSWORD)`) is not a literal.',
  howToFix:
    'Keep the value in a Secret (an ExternalSecret, a SealedSecret, SOPS) and reference it:\n\n' +
    '  env:\n' +
    '  - name: DB_PASSWORD\n' +
    '    valueFrom:\n' +
    '      secretKeyRef:\n' +
    '        name: db-credentials\n' +
    '        key: password\n\n' +
    'Rotate any credential that was committed: removing the line does not remove it from history. A name that matches ' +
    'but holds no secret goes in the option `allowNames: ["NAME"]`.',
  optionsSchema: { type: 'object', additionalProperties: false, properties: { allowNames: { type: 'array', items: { type: 'string' } } } },
  defaultOptions: { allowNames: [] },
  check({ graph, options, report }) {
    const allowed = new Set(options.allowNames);
    for (const template of graph.podTemplates) {
      for (const { container, path } of containersOf(template)) {
        if (!Array.isArray(container.env)) continue;
        container.env.forEach((variable: any, index: number) => {
          const name = String(variable?.name ?? '');
          const reason = allowed.has(name) ? undefined : secretLiteralReason(name, variable?.value);
          if (!reason) return;
          report({
            object: template.owner,
            path: [...path, 'env', index, 'value'],
            message: `env ${name} of container "${String(container.name ?? '')}" in ${describeRef(refOf(template.owner))} ${reason}; take it from a Secret with valueFrom.secretKeyRef`,
          });
        });
      }
    }
    for (const configMap of graph.byKind('ConfigMap')) {
      const data = (configMap as any).data;
      if (!data || typeof data !== 'object') continue;
      for (const [key, value] of Object.entries(data)) {
        const reason = allowed.has(key) ? undefined : secretLiteralReason(key, value);
        if (!reason) continue;
        report({
          object: configMap,
          path: ['data', key],
          message: `key ${key} of ${describeRef(refOf(configMap))} ${reason}; a ConfigMap is not secret, keep it in a Secret`,
        });
      }
    }
  },
});
