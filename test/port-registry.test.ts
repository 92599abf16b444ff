import { describe, expect, it } from 'vitest';
import { parsePortNumber } from '../tools/lib/ports/port-registry.ts';

describe('parsePortNumber bounds', () => {
  it('accepts 1..65535 and nothing outside', () => {
    expect(parsePortNumber(65535)).toBe(65535);
    expect(parsePortNumber('65535')).toBe(65535);
    expect(parsePortNumber(1)).toBe(1);
    expect(parsePortNumber(65536)).toBeUndefined();
    expect(parsePortNumber(0)).toBeUndefined();
  });
});
