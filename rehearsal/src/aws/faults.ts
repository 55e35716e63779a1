import type { Fault, Scenario } from '../contracts.js';
import { authError, injectedApiError, type WireProtocol } from './errors.js';

export type FaultedService = 'ecr' | 'rds';

type FaultOf<K extends Fault['kind']> = Extract<Fault, { kind: K }>;

/** The scenario's faults that concern AWS, asked by the servers at the points where they bite. */
export class AwsFaults {
  private readonly requestCounts = new Map<FaultedService, number>();

  constructor(private readonly faults: readonly Fault[]) {}

  static of(scenario: Scenario): AwsFaults {
    return new AwsFaults(scenario.faults);
  }

  private all<K extends Fault['kind']>(kind: K): Array<FaultOf<K>> {
    return this.faults.filter((fault): fault is FaultOf<K> => fault.kind === kind);
  }

  /** Throws the service's expired-token error, or the injected API error of every Nth request. */
  checkRequest(service: FaultedService, protocol: WireProtocol): void {
    if (this.all('expired-credentials').some((fault) => fault.service === service)) {
      throw authError('expired-token', protocol, '');
    }
    const count = (this.requestCounts.get(service) ?? 0) + 1;
    this.requestCounts.set(service, count);
    const failing = this.all('api-errors').find(
      (fault) => fault.service === service && count % Math.max(1, fault.every) === 0,
    );
    if (failing) throw injectedApiError(failing.status, protocol);
  }

  /** True when the scenario makes `repository:tag` missing from ECR. */
  hidesTag(repository: string, tag: string): boolean {
    return this.all('tag-missing-from-ecr').some(
      (fault) => fault.repository === repository && fault.tag === tag,
    );
  }

  /** How many times slower than `durations.snapshot` a snapshot is. */
  snapshotSlowdown(): number {
    return this.all('snapshot-slow').reduce((factor, fault) => factor * fault.factor, 1);
  }

  /** Set when a restore from a snapshot leaves its instances in `incompatible-restore`. */
  restoreFailure(): FaultOf<'restore-fails'> | undefined {
    return this.all('restore-fails')[0];
  }

  /** Set when new snapshots end in `failed`. */
  snapshotFailure(): FaultOf<'snapshot-fails'> | undefined {
    return this.all('snapshot-fails')[0];
  }
}
