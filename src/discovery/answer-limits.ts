/**
 * When a device answers a probe: never larger than the probe, and at most so many answers per
 * source and in all. A probe's source address can be forged, so the total bound is what keeps a
 * flood from many forged sources from turning devices into a traffic source against one victim.
 */
import type { Clock } from '../shared/clock.js';

/** A token bucket: `burst` answers at once, then `perSecond` on average. */
export interface BucketRule {
  burst: number;
  perSecond: number;
}

export interface AnswerLimitPolicy {
  perSource: BucketRule;
  total: BucketRule;
  /** Sources remembered at once; the least recently seen is forgotten first (memory stays bounded under a flood). */
  maxSources: number;
}

/** A tool probes about once a second for a few seconds: 4 at once, then one every 2 s, and 20 a second for the whole LAN. */
export const DEFAULT_ANSWER_LIMITS: AnswerLimitPolicy = {
  perSource: { burst: 4, perSecond: 0.5 },
  total: { burst: 40, perSecond: 20 },
  maxSources: 1024,
};

export interface Bucket {
  tokens: number;
  at: number;
}

/** Pure: takes one token from the bucket if there is one, after refilling it for the time gone by. */
export function takeToken(bucket: Bucket | undefined, rule: BucketRule, now: number): { allowed: boolean; bucket: Bucket } {
  const refilled = bucket ? Math.min(rule.burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * rule.perSecond) : rule.burst;
  return refilled >= 1 ? { allowed: true, bucket: { tokens: refilled - 1, at: now } } : { allowed: false, bucket: { tokens: refilled, at: now } };
}

/** Pure: the amplification rule. An answer goes out only if it is no larger than its probe. */
export function answerFits(answerBytes: number, probeBytes: number): boolean {
  return answerBytes <= probeBytes;
}

export type LimitVerdict = 'answer' | 'source_limited' | 'total_limited';

/** The buckets of one responder. */
export class AnswerLimiter {
  readonly #sources = new Map<string, Bucket>();
  #total: Bucket | undefined;

  constructor(
    private readonly policy: AnswerLimitPolicy,
    private readonly clock: Clock,
  ) {}

  /** Whether to answer a probe from `source` now; a refused probe spends nothing. */
  admit(source: string): LimitVerdict {
    const now = this.clock.now();
    const perSource = takeToken(this.#sources.get(source), this.policy.perSource, now);
    if (!perSource.allowed) {
      this.#remember(source, perSource.bucket);
      return 'source_limited';
    }
    const total = takeToken(this.#total, this.policy.total, now);
    this.#total = total.bucket;
    if (!total.allowed) return 'total_limited';
    this.#remember(source, perSource.bucket);
    return 'answer';
  }

  #remember(source: string, bucket: Bucket): void {
    this.#sources.delete(source); // re-inserted last: a Map keeps insertion order, oldest first
    this.#sources.set(source, bucket);
    if (this.#sources.size > this.policy.maxSources) this.#sources.delete(this.#sources.keys().next().value!);
  }
}
