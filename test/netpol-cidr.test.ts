import { describe, it, expect } from 'vitest';
import { cidrContainsIp, parseCidr, parseIp } from '../tools/lib/network/cidr.ts';

describe('CIDR ranges', () => {
  it('parses IPv4 and IPv6 and rejects garbage', () => {
    expect(parseIp('10.1.2.3')).toEqual({ family: 4, value: 0x0a010203n });
    expect(parseIp('::1')).toEqual({ family: 6, value: 1n });
    expect(parseIp('fd00::ffff:10.0.0.1')?.value).toBe((0xfd00n << 112n) | (0xffffn << 32n) | 0x0a000001n);
    expect(parseIp('10.1.2.256')).toBeUndefined();
    expect(parseIp('1::2::3')).toBeUndefined();
    expect(parseCidr('10.0.0.0')).toBeUndefined();
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
  });

  it('clears host bits and tests membership per family', () => {
    const block = parseCidr('10.1.2.3/16')!;
    expect(block.prefix).toBe(16);
    expect(cidrContainsIp(block, '10.1.200.7')).toBe(true);
    expect(cidrContainsIp(block, '10.2.0.1')).toBe(false);
    expect(cidrContainsIp(block, '::1')).toBe(false);
    expect(cidrContainsIp(parseCidr('0.0.0.0/0')!, '203.0.113.9')).toBe(true);
    expect(cidrContainsIp(parseCidr('2001:db8::/32')!, '2001:db8:1::5')).toBe(true);
    expect(cidrContainsIp(parseCidr('2001:db8::/32')!, '2001:db9::5')).toBe(false);
    expect(cidrContainsIp(parseCidr('192.168.1.10/32')!, '192.168.1.10')).toBe(true);
  });
});
