// How to waive a finding: written once here, for every rule, and shown by --explain and the generated rule docs.

/** Plain text for --explain RULE. */
export function waiverHelpText(id: string): string {
  return (
    `In policies/config.yaml:\n  waivers:\n    - rule: ${id}\n      object: "Kind namespace/name"\n      reason: why this is acceptable for now\n      expires: YYYY-MM-DD\n` +
    `or on the object:\n  metadata:\n    annotations:\n      policy-check.dev/waivers: |\n        - rule: ${id}\n          reason: why this is acceptable for now\n          expires: YYYY-MM-DD\n` +
    `or per cluster: rules: { ${id}: { clusters: { <cluster>: { severity: off } } } }\n` +
    `Every waiver needs a reason of at least 10 characters and a real date; waiverPolicy.maxLifetimeDays caps how far out.`
  );
}

/** The shared "Waiving a finding" section of docs/rules/README.md. */
export const WAIVING_MARKDOWN = `## Waiving a finding

Every rule is waived the same way, and every waiver needs a reason and an expiry date. In
\`policies/config.yaml\`:

\`\`\`yaml
waivers:
  - rule: ports/env-from-registry
    object: Deployment swe-ai-fleet/monitoring-dashboard   # "Kind namespace/name", or "Kind name" when cluster-scoped
    cluster: staging                                       # optional: only in this cluster
    reason: vendor chart, port fixed upstream
    expires: 2027-03-31
\`\`\`

or on the object itself, which travels with it through every overlay:

\`\`\`yaml
metadata:
  annotations:
    policy-check.dev/waivers: |
      - rule: ports/env-from-registry
        reason: vendor chart, port fixed upstream
        expires: 2027-03-31
\`\`\`

A waived finding still appears in the json and SARIF reports, as suppressed. An expired waiver
brings its finding back and is itself a blocking \`policy/expired-waiver\` finding at the
waiver's line. To turn a rule off for one cluster while it is being fixed:
\`rules: { <rule>: { clusters: { <cluster>: { severity: off } } } }\`.
`;
