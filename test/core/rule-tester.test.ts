// The RuleTester itself: each case here is a mistake in a rule or in a rule test that the tester must catch.
import { describe, expect, it } from 'vitest';
import { defineRule, interpolate } from '../../tools/lib/core/rule.ts';
import { stripMarkers, withMarkers } from '../../tools/lib/core/case-markers.ts';
import { duplicatesOf, runRule, verifyInvalidCase, verifyValidCase } from '../../tools/lib/core/rule-tester.ts';

/** A small real rule: every ConfigMap must carry the label `team`, optionally with one of the allowed values. */
const teamLabel = defineRule<{ allowed: string[] }>({
  id: 'test/team-label',
  severity: 'error',
  description: 'Every ConfigMap names its team',
  rationale: 'An object nobody owns is an object nobody fixes.',
  howToFix: 'Add `metadata.labels.team: <team>`.',
  messages: {
    missing: 'ConfigMap {{name}} has no team label',
    unknownTeam: 'ConfigMap {{name}} names team "{{team}}", which is not one of {{allowed}}',
  },
  optionsSchema: { type: 'object', additionalProperties: false, properties: { allowed: { type: 'array', items: { type: 'string' } } } },
  defaultOptions: { allowed: [] },
  check({ graph, options, report }) {
    for (const cm of graph.byKind('ConfigMap')) {
      const team = cm.metadata.labels?.team;
      if (team === undefined) {
        report({ object: cm, path: ['metadata', 'name'], messageId: 'missing', data: { name: String(cm.metadata.name) }, fix: 'labels: { team: <team> }' });
      } else if (options.allowed.length && !options.allowed.includes(team)) {
        report({
          object: cm,
          path: ['metadata', 'labels', 'team'],
          messageId: 'unknownTeam',
          data: { name: String(cm.metadata.name), team, allowed: options.allowed.join(', ') },
          related: [{ message: 'the other ConfigMap of this team', object: cm, path: ['metadata', 'name'] }],
        });
      }
    }
  },
});

const unlabelled = `apiVersion: v1
kind: ConfigMap
metadata:
  ⟦1⟧name: settings
  namespace: shop
`;

const labelled = (team: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  ⟦name⟧name: settings
  namespace: shop
  labels:
    ⟦team⟧team: ${team}
`;

describe('position markers', () => {
  it('are stripped and resolve to the 1-based line and column of the next character', () => {
    const { text, markers } = stripMarkers('a: 1\n  ⟦x⟧b: ⟦y⟧2\n');
    expect(text).toBe('a: 1\n  b: 2\n');
    expect(Object.fromEntries(markers)).toEqual({ x: { line: 2, column: 3 }, y: { line: 2, column: 6 } });
  });
  it('written twice are an error', () => {
    expect(() => stripMarkers('⟦a⟧x: 1\n⟦a⟧y: 2\n')).toThrow('marker ⟦a⟧ is written twice');
  });
  it('go into text a builder wrote through a snippet that occurs exactly once', () => {
    const plain = unlabelled.replace('⟦1⟧', '');
    expect(withMarkers(plain, 'metadata:\n  ⟦a⟧name: settings', 'namespace: ⟦b⟧shop')).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  ⟦a⟧name: settings\n  namespace: ⟦b⟧shop\n');
    expect(() => withMarkers(plain, '⟦a⟧name: other')).toThrow('snippet "name: other" is not in the case YAML');
    expect(() => withMarkers(plain + plain, '⟦a⟧name: settings')).toThrow('snippet "name: settings" occurs more than once in the case YAML; make it longer');
    expect(() => withMarkers(plain, 'name: settings')).toThrow('snippet "name: settings" has no marker');
  });
  it('never reach the rule: runRule parses the stripped text', () => {
    expect(runRule(teamLabel, { name: 'marker', yaml: unlabelled }).map((f) => [f.message, f.location?.line, f.location?.column])).toEqual([
      ['ConfigMap settings has no team label', 4, 3],
    ]);
  });
});

describe('invalid cases', () => {
  const exact = { at: '1', object: 'ConfigMap shop/settings', path: 'metadata.name', messageId: 'missing', data: { name: 'settings' } };

  it('pass with the exact messageId, data, line and column', () => {
    expect(() => verifyInvalidCase(teamLabel, { name: 'ok', yaml: unlabelled, findings: [exact] })).not.toThrow();
  });
  it('pass with the full message text instead of an id (the older shape), line without column', () => {
    const old = { object: 'ConfigMap shop/settings', path: 'metadata.name', line: 4, message: 'ConfigMap settings has no team label' };
    expect(() => verifyInvalidCase(teamLabel, { name: 'old shape', yaml: unlabelled.replace('⟦1⟧', ''), findings: [old] })).not.toThrow();
  });
  it('fail on part of a message', () => {
    const partial = { object: 'ConfigMap shop/settings', path: 'metadata.name', line: 4, message: 'has no team label' };
    expect(() => verifyInvalidCase(teamLabel, { name: 'substring', yaml: unlabelled.replace('⟦1⟧', ''), findings: [partial] })).toThrow(/deeply equal/);
  });
  it('fail on the wrong column, from a marker or written out', () => {
    const shifted = unlabelled.replace('  ⟦1⟧name', '⟦1⟧  name');
    expect(() => verifyInvalidCase(teamLabel, { name: 'marker column', yaml: shifted, findings: [exact] })).toThrow(/deeply equal/);
    const written = { ...exact, at: undefined, line: 4, column: 1 };
    expect(() => verifyInvalidCase(teamLabel, { name: 'column', yaml: unlabelled.replace('⟦1⟧', ''), findings: [written] })).toThrow(/deeply equal/);
  });
  it('fail on the wrong data, a missing placeholder, an unknown id, or both id and message', () => {
    expect(() => verifyInvalidCase(teamLabel, { name: 'data', yaml: unlabelled, findings: [{ ...exact, data: { name: 'other' } }] })).toThrow(/deeply equal/);
    expect(() => verifyInvalidCase(teamLabel, { name: 'no data', yaml: unlabelled, findings: [{ ...exact, data: undefined }] })).toThrow('message "missing" needs data for name');
    expect(() => verifyInvalidCase(teamLabel, { name: 'extra data', yaml: unlabelled, findings: [{ ...exact, data: { name: 'settings', nme: 'x' } }] })).toThrow(
      'message "missing" has no placeholder nme',
    );
    expect(() => verifyInvalidCase(teamLabel, { name: 'id', yaml: unlabelled, findings: [{ ...exact, messageId: 'mising' }] })).toThrow('rule test/team-label has no message "mising"');
    expect(() => verifyInvalidCase(teamLabel, { name: 'both', yaml: unlabelled, findings: [{ ...exact, message: 'x' }] })).toThrow('give exactly one of messageId or message');
  });
  it('fail on a missing marker, an unused marker, or a finding with no position', () => {
    expect(() => verifyInvalidCase(teamLabel, { name: 'missing marker', yaml: unlabelled, findings: [{ ...exact, at: '2' }] })).toThrow('no marker ⟦2⟧ in the case YAML');
    expect(() => verifyInvalidCase(teamLabel, { name: 'unused', yaml: unlabelled + '⟦9⟧', findings: [exact] })).toThrow('markers no finding points at: ⟦9⟧');
    expect(() => verifyInvalidCase(teamLabel, { name: 'nowhere', yaml: unlabelled.replace('⟦1⟧', ''), findings: [{ ...exact, at: undefined }] })).toThrow(
      "say where it points, with at: '<marker>' (or line)",
    );
  });
  it('fail on a missing or an extra finding, and on no expected finding at all', () => {
    expect(() => verifyInvalidCase(teamLabel, { name: 'extra', yaml: unlabelled, findings: [exact, exact] })).toThrow(/deeply equal/);
    expect(() => verifyInvalidCase(teamLabel, { name: 'none', yaml: unlabelled, findings: [] })).toThrow('an invalid case expects at least one finding');
  });
  it('check fix and related places exactly when the case states them', () => {
    expect(() => verifyInvalidCase(teamLabel, { name: 'fix', yaml: unlabelled, findings: [{ ...exact, fix: 'labels: { team: <team> }' }] })).not.toThrow();
    expect(() => verifyInvalidCase(teamLabel, { name: 'bad fix', yaml: unlabelled, findings: [{ ...exact, fix: 'labels: {}' }] })).toThrow(/deeply equal/);
    const unknownTeam = {
      at: 'team',
      object: 'ConfigMap shop/settings',
      path: 'metadata.labels.team',
      messageId: 'unknownTeam',
      data: { name: 'settings', team: 'ops', allowed: 'web' },
      related: [{ message: 'the other ConfigMap of this team', at: 'name' }],
    };
    const options = { allowed: ['web'] };
    expect(() => verifyInvalidCase(teamLabel, { name: 'related', yaml: labelled('ops'), options, findings: [unknownTeam] })).not.toThrow();
    const wrongPlace = { ...unknownTeam, related: [{ message: 'the other ConfigMap of this team', line: 7, column: 5 }] };
    expect(() => verifyInvalidCase(teamLabel, { name: 'related place', yaml: labelled('ops').replace('⟦name⟧', ''), options, findings: [wrongPlace] })).toThrow(/deeply equal/);
  });
  it('fail when the case options do not fit the rule schema', () => {
    expect(() => verifyInvalidCase(teamLabel, { name: 'options', yaml: unlabelled, options: { alowed: ['web'] }, findings: [exact] })).toThrow(
      `options do not fit test/team-label's optionsSchema: (options) must NOT have additional properties "alowed"`,
    );
    expect(() => verifyValidCase(teamLabel, { name: 'options type', yaml: labelled('web').replace(/⟦\w+⟧/g, ''), options: { allowed: 'web' } })).toThrow(
      "options do not fit test/team-label's optionsSchema: /allowed must be array",
    );
  });
  it('fail when a rule with a messages table reports a plain message', () => {
    const plain = defineRule({ ...teamLabel, check: ({ graph, report }) => graph.byKind('ConfigMap').forEach((cm) => report({ object: cm, path: ['metadata', 'name'], message: 'no team' })) });
    expect(() => verifyInvalidCase(plain, { name: 'plain', yaml: unlabelled, findings: [{ at: '1', object: 'ConfigMap shop/settings', path: 'metadata.name', message: 'no team' }] })).toThrow(
      'test/team-label has a messages table: report { messageId, data }',
    );
  });
});

describe('valid cases', () => {
  it('fail when the rule reports anything, or when they carry markers', () => {
    expect(() => verifyValidCase(teamLabel, { name: 'unlabelled', yaml: unlabelled.replace('⟦1⟧', '') })).toThrow(/deeply equal/);
    expect(() => verifyValidCase(teamLabel, { name: 'marker', yaml: labelled('web') })).toThrow('a valid case has nothing to point at; remove ⟦name⟧, ⟦team⟧');
  });
});

describe('the graph is frozen', () => {
  it('a rule that writes to an object fails its case instead of passing', () => {
    const mutating = defineRule({
      ...teamLabel,
      check: ({ graph }) => {
        for (const cm of graph.byKind('ConfigMap')) cm.metadata.labels = { team: 'fixed-by-the-rule' };
      },
    });
    expect(() => verifyValidCase(mutating, { name: 'mutates', yaml: unlabelled.replace('⟦1⟧', '') })).toThrow(/deeply equal/);
    const [failure] = runRule(mutating, { name: 'mutates', yaml: unlabelled });
    expect(failure.rule).toBe('policy/rule-failed');
    // evaluate names the object the rule crashed on (issue 19) and keeps its findings on the others
    expect(failure.message).toBe(
      "rule test/team-label failed on ConfigMap shop/settings: Cannot add property labels, object is not extensible; the rule's findings on the other objects are kept",
    );
  });
  it('so does a rule that sorts a list of the object in place', () => {
    const sorting = defineRule({ ...teamLabel, check: ({ graph }) => void (graph.podTemplates[0].spec.containers as unknown[]).sort() });
    const yaml = 'apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: shop }\nspec:\n  containers: [{ name: b }, { name: a }]\n';
    expect(runRule(sorting, { name: 'sorts', yaml }).map((f) => f.rule)).toEqual(['policy/rule-failed']);
  });
});

describe('duplicate cases', () => {
  it('are found by name and by content (YAML without markers, options, cluster)', () => {
    const yaml = labelled('web').replace(/⟦\w+⟧/g, '');
    expect(
      duplicatesOf('test/duplicates', [
        { name: 'a', yaml },
        { name: 'a', yaml: yaml + '# other\n' },
        { name: 'b', yaml, options: { allowed: ['web'] } },
        { name: 'c', yaml: labelled('web') },
      ]),
    ).toEqual(['two cases are named "a"', 'case "c" repeats case "a" (same YAML, options and cluster)']);
  });
});

describe('interpolate', () => {
  it('fills every placeholder and refuses a missing one', () => {
    expect(interpolate('{{a}} and {{ b }}', { a: 1, b: 'two' })).toBe('1 and two');
    expect(() => interpolate('{{a}}', {})).toThrow('message "{{a}}" needs data.a');
  });
});
