import type { WorldClock } from '../contracts.js';

/** The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alike digits). */
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** Deterministic names and ids from the scenario's seeded random source. */
export class NameGenerator {
  constructor(private readonly clock: WorldClock) {}

  suffix(length = 5): string {
    let result = '';
    for (let i = 0; i < length; i += 1) {
      result += suffixAlphabet[Math.floor(this.clock.random() * suffixAlphabet.length)] ?? 'x';
    }
    return result;
  }

  uid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.clock.random() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  podIp(): string {
    return `10.0.${1 + Math.floor(this.clock.random() * 3)}.${10 + Math.floor(this.clock.random() * 240)}`;
  }
}

/** A stable 10-character hash of a pod template, like the ReplicaSet controller's pod-template-hash. */
export function templateHash(template: unknown): string {
  let hash = 0x811c9dc5;
  for (const char of JSON.stringify(template)) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  let result = '';
  let value = hash;
  for (let i = 0; i < 10; i += 1) {
    result += suffixAlphabet[value % suffixAlphabet.length] ?? 'x';
    value = (Math.floor(value / suffixAlphabet.length) ^ Math.imul(value, 31 + i)) >>> 0;
  }
  return result;
}

/** The node a pod lands on: an EKS-style private DNS name. */
export const nodeNames = ['ip-10-0-1-23.ec2.internal', 'ip-10-0-2-47.ec2.internal', 'ip-10-0-3-112.ec2.internal'];
