import { describe, it, expect } from 'vitest';
import { compareQuantities, formatCpu, formatMemory, parseQuantity, sumQuantities } from '../tools/lib/resources/quantity.ts';

const nano = (value: unknown): bigint => {
  const q = parseQuantity(value);
  if (!q.ok) throw new Error(q.error);
  return q.nano;
};

describe('parseQuantity', () => {
  it.each<[unknown, bigint]>([
    ['500m', 500_000_000n],
    ['0.5', 500_000_000n],
    [0.5, 500_000_000n],
    ['.5', 500_000_000n],
    ['1.', 1_000_000_000n],
    [2, 2_000_000_000n],
    ['1e3', 1000n * 1_000_000_000n],
    ['1E3', 1000n * 1_000_000_000n],
    ['1e-3', 1_000_000n],
    ['+1', 1_000_000_000n],
    ['-1', -1_000_000_000n],
    ['100n', 100n],
    ['100u', 100_000n],
    ['1k', 1000n * 1_000_000_000n],
    ['1M', 10n ** 6n * 1_000_000_000n],
    ['1G', 10n ** 9n * 1_000_000_000n],
    ['1T', 10n ** 12n * 1_000_000_000n],
    ['1P', 10n ** 15n * 1_000_000_000n],
    ['1E', 10n ** 18n * 1_000_000_000n],
    ['1Ki', 1024n * 1_000_000_000n],
    ['1Mi', 2n ** 20n * 1_000_000_000n],
    ['1Gi', 2n ** 30n * 1_000_000_000n],
    ['1Ti', 2n ** 40n * 1_000_000_000n],
    ['1Pi', 2n ** 50n * 1_000_000_000n],
    ['1Ei', 2n ** 60n * 1_000_000_000n],
    ['1.5Gi', 3n * 2n ** 29n * 1_000_000_000n],
    ['0.1Ki', 102_400_000_000n],
    [' 128Mi ', 128n * 2n ** 20n * 1_000_000_000n],
  ])('%j', (input, expected) => {
    expect(nano(input)).toBe(expected);
  });

  it('rounds values finer than a nano-unit up, as Kubernetes does', () => {
    expect(nano('1.5n')).toBe(2n);
    expect(nano('1e-10')).toBe(1n);
  });

  it('keeps exactness where floating point would not', () => {
    expect(sumQuantities([nano('0.1'), nano('0.2')])).toBe(nano('0.3'));
    expect(nano('1Gi') === nano('1024Mi')).toBe(true);
    expect(compareQuantities(nano('1G'), nano('1Gi'))).toBe(-1);
    expect(compareQuantities(nano('1000m'), nano('1'))).toBe(0);
    expect(compareQuantities(nano('2'), nano('1999m'))).toBe(1);
  });

  it.each([['1 Gi'], ['1GB'], ['1gi'], ['abc'], [''], ['1.2.3'], ['1e'], ['1e3.5'], ['--1'], ['Gi'], [null], [true], [{}]])('rejects %j without throwing', (input) => {
    const q = parseQuantity(input);
    expect(q.ok).toBe(false);
    if (!q.ok) expect(q.error).toMatch(/quantity|suffix/);
  });
});

describe('format', () => {
  it('formats cpu', () => {
    expect(formatCpu(nano('2'))).toBe('2');
    expect(formatCpu(nano('1500m'))).toBe('1500m');
    expect(formatCpu(nano('0.25'))).toBe('250m');
    expect(formatCpu(nano('100u'))).toBe('0.1m');
  });
  it('formats memory in binary units', () => {
    expect(formatMemory(nano('8Gi'))).toBe('8Gi');
    expect(formatMemory(nano('1536Mi'))).toBe('1.5Gi');
    expect(formatMemory(nano('1G'))).toBe('953.68Mi');
    expect(formatMemory(nano('100'))).toBe('100');
    expect(formatMemory(nano('500m'))).toBe('1');
  });
});

describe('parseQuantity exponent range', () => {
  it('accepts e100 and rejects e101', () => {
    expect(parseQuantity('1e100').ok).toBe(true);
    const tooBig = parseQuantity('1e101');
    expect(tooBig.ok).toBe(false);
    expect(tooBig.ok ? '' : tooBig.error).toContain('exponent out of range');
    expect(parseQuantity('1e-101').ok).toBe(false);
  });
});
