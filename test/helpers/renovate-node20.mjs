// Renovate 44 declares Node >= 22 and calls two newer standard functions at load time (the ES2025 Set methods
// and RegExp.escape, Node 24). The Renovate test loads this first on older Node so Renovate's own code runs here;
// nothing of the checker uses it.
const proto = Set.prototype;
const define = (name, fn) => {
  if (!proto[name]) Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true });
};
const keysOf = (other) => new Set(other.keys());
define('union', function (other) { return new Set([...this, ...keysOf(other)]); });
define('intersection', function (other) { const k = keysOf(other); return new Set([...this].filter((x) => k.has(x))); });
define('difference', function (other) { const k = keysOf(other); return new Set([...this].filter((x) => !k.has(x))); });
define('symmetricDifference', function (other) { const k = keysOf(other); return new Set([...[...this].filter((x) => !k.has(x)), ...[...k].filter((x) => !this.has(x))]); });
define('isSubsetOf', function (other) { const k = keysOf(other); return [...this].every((x) => k.has(x)); });
define('isSupersetOf', function (other) { return [...keysOf(other)].every((x) => this.has(x)); });
define('isDisjointFrom', function (other) { const k = keysOf(other); return [...this].every((x) => !k.has(x)); });
if (!RegExp.escape) RegExp.escape = (text) => String(text).replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
