// Kubernetes resource quantities (k8s.io/apimachinery resource.Quantity), parsed exactly.
// Values are held as BigInt nano-units, the precision Kubernetes itself keeps (finer values round up),
// so 0.1 + 0.2 is exactly 0.3 and 1Ei of memory does not overflow.

export type Quantity =
  | { ok: true; text: string; /** value × 10^9 */ nano: bigint }
  | { ok: false; text: string; error: string };

const NANO = 1_000_000_000n;

const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const QUANTITY_RE = /^([+-]?)(\d+\.?\d*|\.\d+)(.*)$/;

function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  return numerator % denominator !== 0n && numerator > 0n ? quotient + 1n : quotient;
}

/** Text as written in YAML: strings as they are, numbers the way YAML printed them (0.5, 1000, 1e+21). */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return undefined;
}

/** Parses a quantity. Never throws: malformed input comes back as { ok: false, error }. */
export function parseQuantity(value: unknown): Quantity {
  const text = textOf(value);
  if (text === undefined) return { ok: false, text: String(value), error: `${JSON.stringify(value)} is not a quantity` };
  const match = QUANTITY_RE.exec(text);
  if (!match) return { ok: false, text, error: `"${text}" is not a quantity (expected a number with an optional suffix such as 500m, 0.5, 1Gi, 1G or 1e3)` };
  const [, sign, number, suffix] = match;
  const [whole, fraction = ''] = number.split('.');
  const mantissa = BigInt((whole || '0') + fraction);
  let decimalExponent = -fraction.length;
  let binaryExponent = 0;
  if (suffix in BINARY_SUFFIXES) binaryExponent = BINARY_SUFFIXES[suffix];
  else if (suffix in DECIMAL_SUFFIXES) decimalExponent += DECIMAL_SUFFIXES[suffix];
  else if (/^[eE][+-]?\d+$/.test(suffix)) {
    const exponent = Number(suffix.slice(1));
    if (Math.abs(exponent) > 100) return { ok: false, text, error: `"${text}" has an exponent out of range` };
    decimalExponent += exponent;
  } else {
    return { ok: false, text, error: `"${text}" has an unknown suffix "${suffix}" (use n u m k M G T P E, Ki Mi Gi Ti Pi Ei, or e<exponent>)` };
  }
  let scaled = mantissa << BigInt(binaryExponent);
  const nanoExponent = decimalExponent + 9;
  scaled = nanoExponent >= 0 ? scaled * 10n ** BigInt(nanoExponent) : ceilDiv(scaled, 10n ** BigInt(-nanoExponent));
  return { ok: true, text, nano: sign === '-' ? -scaled : scaled };
}

export function compareQuantities(a: bigint, b: bigint): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sumQuantities(values: bigint[]): bigint {
  return values.reduce((total, v) => total + v, 0n);
}

function trimDecimal(integer: bigint, fraction: bigint, digits: number): string {
  if (fraction === 0n) return integer.toString();
  const text = fraction.toString().padStart(digits, '0').replace(/0+$/, '');
  return `${integer}.${text}`;
}

/** CPU for people: whole cores as "2", otherwise millicores "1500m" (sub-milli values shown with decimals). */
export function formatCpu(nano: bigint): string {
  const sign = nano < 0n ? '-' : '';
  const abs = nano < 0n ? -nano : nano;
  if (abs % NANO === 0n) return `${sign}${abs / NANO}`;
  const milli = 1_000_000n;
  return `${sign}${trimDecimal(abs / milli, abs % milli, 6)}m`;
}

/** Memory for people in the largest binary unit that keeps it readable: "512Mi", "1.5Gi", "100" bytes. */
export function formatMemory(nano: bigint): string {
  const sign = nano < 0n ? '-' : '';
  const abs = nano < 0n ? -nano : nano;
  const bytes = ceilDiv(abs, NANO);
  const units: [string, number][] = [['Ei', 60], ['Pi', 50], ['Ti', 40], ['Gi', 30], ['Mi', 20], ['Ki', 10]];
  for (const [unit, shift] of units) {
    const size = 1n << BigInt(shift);
    if (bytes >= size) {
      const hundredths = (bytes * 100n + size - 1n) / size;
      return `${sign}${trimDecimal(hundredths / 100n, hundredths % 100n, 2)}${unit}`;
    }
  }
  return `${sign}${bytes}`;
}

export function formatQuantity(resource: string, nano: bigint): string {
  if (resource === 'cpu' || resource.endsWith('.cpu')) return formatCpu(nano);
  if (resource === 'memory' || resource.endsWith('.memory') || resource.includes('storage')) return formatMemory(nano);
  return nano % NANO === 0n ? (nano / NANO).toString() : formatCpu(nano);
}
