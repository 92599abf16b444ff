// NetworkPolicy evaluation over a rendered cluster. The pieces live in tools/lib/netpol/.
export { evaluateConnection, networkPolicyIndex, NetworkPolicyIndex, isIpEndpoint, resolveNamedPort, containerPortsOf, ruleAdmits, ruleAdmitsPort, portMatches } from './netpol/evaluate.ts';
export type { ConnectionQuery, ConnectionVerdict, DirectionVerdict, Endpoint, IpEndpoint } from './netpol/evaluate.ts';
export { effectivePolicyTypes, isNetworkPolicy, readNetworkPolicy } from './netpol/policy.ts';
export type { Direction, NetworkPolicyModel, PolicyPeer, PolicyPort, PolicyRule, Protocol } from './netpol/policy.ts';
export { DEFAULT_DNS_TARGET, DNS_PORTS, dnsPods, virtualDnsPod } from './netpol/dns.ts';
export type { DnsTarget } from './netpol/dns.ts';
export { parseCidr, parseIp, cidrContainsIp } from './netpol/cidr.ts';
