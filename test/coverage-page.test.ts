// docs/policies/coverage.md stays true: its counts are the tables' counts, and every rule it says covers a check exists.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../tools/lib/render/load-rules.ts';
import { REPO_ROOT } from './helpers/cli.ts';

const STATUSES = ['covered', 'planned', 'partly', 'deliberately not', 'not yet'] as const;
type Status = (typeof STATUSES)[number];

interface Row { check: string; here: string; status: string }

const page = fs.readFileSync(path.join(REPO_ROOT, 'docs/policies/coverage.md'), 'utf8');

/** The check tables: one per `## tool` heading, rows whose first cell is a `check`. */
function tables(): Map<string, Row[]> {
  const result = new Map<string, Row[]>();
  for (const section of page.split(/^## /m).slice(1)) {
    const tool = section.split('\n')[0].split(':')[0];
    const rows = section.split('\n').filter((l) => l.startsWith('| `')).map((l) => {
      const cells = l.replace(/^\||\|\s*$/g, '').split('|').map((c) => c.trim());
      return { check: cells[0], here: cells[cells.length - 2], status: cells[cells.length - 1] };
    });
    result.set(tool, rows);
  }
  return result;
}

function count(rows: Row[], status: Status): number {
  return rows.filter((r) => r.status === status).length;
}

describe('docs/policies/coverage.md', () => {
  const byTool = tables();
  const all = [...byTool.values()].flat();

  it('has the three tools, every row with a known status and no check twice in a table', () => {
    expect([...byTool.keys()]).toEqual(['kube-linter v0.8.3', 'Polaris v10.2.2', 'kube-score v1.20.0']);
    expect(byTool.get('kube-linter v0.8.3')).toHaveLength(31);
    expect(byTool.get('Polaris v10.2.2')).toHaveLength(44);
    expect(byTool.get('kube-score v1.20.0')).toHaveLength(39);
    for (const row of all) expect(STATUSES).toContain(row.status);
    for (const rows of byTool.values()) expect(new Set(rows.map((r) => r.check)).size).toBe(rows.length);
  });

  it('states the counts of its tables', () => {
    const line = (tool: string, rows: Row[]) => {
      const covered = count(rows, 'covered') + count(rows, 'planned') + count(rows, 'partly');
      return `| ${tool} | ${rows.length} | ${covered} | ${count(rows, 'planned')} | ${count(rows, 'partly')} | ${count(rows, 'deliberately not')} | ${count(rows, 'not yet')} |`;
    };
    for (const [tool, rows] of byTool) expect(page).toContain(line(tool, rows));
    expect(page).toContain(line('all three', all));
    const covered = count(all, 'covered') + count(all, 'planned') + count(all, 'partly');
    expect(page).toContain(`**Counts: ${covered} covered / ${count(all, 'deliberately not')} deliberately not / ${count(all, 'not yet')} not yet** of ${all.length} checks.`);
  });

  it('names only rules that exist, except in rows marked planned', async () => {
    const ids = new Set((await loadRules()).map((r) => r.id));
    const areas = new Set([...ids].map((id) => id.split('/')[0]).concat('references'));
    for (const row of all) {
      // Repository folders such as `components/single-replica` look like ids; only rule areas are rule names.
      const named = [...row.here.matchAll(/`([a-z0-9-]+)\/([a-z0-9-]+|\*)`/g)].filter((m) => areas.has(m[1])).map((m) => `${m[1]}/${m[2]}`);
      if (row.status === 'covered' || row.status === 'partly') expect(named.length, row.check).toBeGreaterThan(0);
      for (const id of named) {
        if (row.status === 'planned' && /^(references\/|schema\/\*$)/.test(id)) continue;
        expect(ids.has(id), `${row.check} names ${id}`).toBe(true);
      }
    }
  });
});
