// resource.Quantity.String(), the canonical form the API server prints in its errors: binary suffixes for values
// written with one (1536Mi, 2Gi), else the largest decimal suffix that keeps an integer (1500, 2k, 500m).
const BINARY = /(Ki|Mi|Gi|Ti|Pi|Ei)$/;
const BINARY_UNITS = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const DECIMAL_UNITS: [number, string][] = [[18, 'E'], [15, 'P'], [12, 'T'], [9, 'G'], [6, 'M'], [3, 'k'], [0, ''], [-3, 'm'], [-6, 'u'], [-9, 'n']];
const NANO = 1_000_000_000n;

export function isBinaryText(value: unknown): boolean {
  return typeof value === 'string' && BINARY.test(value.trim());
}

/** `nano` is the quantity × 10^9, as parseQuantity holds it; `binary` is the format of the first value written. */
export function canonicalQuantity(nano: bigint, binary: boolean): string {
  const sign = nano < 0n ? '-' : '';
  const abs = nano < 0n ? -nano : nano;
  if (binary && abs % NANO === 0n && abs / NANO >= 1024n) {
    let bytes = abs / NANO;
    let unit = 0;
    while (unit < BINARY_UNITS.length - 1 && bytes % 1024n === 0n) {
      bytes /= 1024n;
      unit += 1;
    }
    return `${sign}${bytes}${BINARY_UNITS[unit]}`;
  }
  if (abs === 0n) return '0';
  for (const [exponent, suffix] of DECIMAL_UNITS) {
    const scale = 10n ** BigInt(exponent + 9);
    if (abs % scale === 0n) return `${sign}${abs / scale}${suffix}`;
  }
  return `${sign}${abs}n`;
}
