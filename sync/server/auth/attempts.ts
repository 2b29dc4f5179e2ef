import { createHmac, randomBytes } from 'node:crypto';

export interface CredentialLimits {
  /** Failed attempts per minute on one account (login) or one station (pairing, device key), from any address. */
  failuresPerMinute: number;
  /** Failed attempts per minute from one address, whatever the account. */
  failuresPerAddressPerMinute: number;
  /** Distinct accounts one password may fail on per minute before that password is refused everywhere (spraying). */
  accountsPerPasswordPerMinute: number;
}

const WINDOW_MS = 60_000;
/** Bounds the memory an attacker can make the guard hold (each entry is a few hundred bytes). */
const MAX_ENTRIES = 50_000;

interface Counter {
  count: number;
  resetAt: number;
}

interface Spray {
  accounts: Set<string>;
  resetAt: number;
}

export interface Attempt {
  /** `account:<store>|<user>`, `station:<store>|<station>`: limited whatever the address. */
  subjects: string[];
  address: string;
  /** The secret tried, to notice one password tried across many accounts; never stored in clear. */
  secret?: string;
  /** The account the secret was tried on (counted per password). */
  account?: string;
}

/**
 * Slows down guessing: failures are counted per account and per station from any address, per
 * address, and per password across accounts. Once a count is reached, attempts are refused (429)
 * without looking at the secret until the minute is over. Counts live in this process only.
 */
export class CredentialGuard {
  private readonly failures = new Map<string, Counter>();
  private readonly sprays = new Map<string, Spray>();
  private readonly pepper = randomBytes(32);

  constructor(
    private readonly limits: CredentialLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait when this attempt is refused, or null when it may go ahead. */
  refusal(attempt: Attempt): number | null {
    const now = this.now();
    let wait = 0;
    for (const subject of attempt.subjects) wait = Math.max(wait, this.lockedFor(this.failures.get(subject), this.limits.failuresPerMinute, now));
    wait = Math.max(wait, this.lockedFor(this.failures.get(`address:${attempt.address}`), this.limits.failuresPerAddressPerMinute, now));
    if (attempt.secret !== undefined) {
      const spray = this.sprays.get(this.fingerprint(attempt.secret));
      if (spray && spray.resetAt > now && spray.accounts.size >= this.limits.accountsPerPasswordPerMinute) wait = Math.max(wait, spray.resetAt - now);
    }
    return wait > 0 ? Math.ceil(wait / 1000) : null;
  }

  /** Counts a failed attempt. */
  failed(attempt: Attempt): void {
    const now = this.now();
    for (const key of [...attempt.subjects, `address:${attempt.address}`]) {
      const counter = this.failures.get(key);
      if (counter && counter.resetAt > now) counter.count += 1;
      else this.put(this.failures, key, { count: 1, resetAt: now + WINDOW_MS });
    }
    if (attempt.secret !== undefined && attempt.account !== undefined) {
      const key = this.fingerprint(attempt.secret);
      const spray = this.sprays.get(key);
      if (spray && spray.resetAt > now) spray.accounts.add(attempt.account);
      else this.put(this.sprays, key, { accounts: new Set([attempt.account]), resetAt: now + WINDOW_MS });
    }
  }

  private lockedFor(counter: Counter | undefined, limit: number, now: number): number {
    return counter && counter.resetAt > now && counter.count >= limit ? counter.resetAt - now : 0;
  }

  private fingerprint(secret: string): string {
    return createHmac('sha256', this.pepper).update(secret.normalize('NFKC')).digest('base64url');
  }

  private put<V extends { resetAt: number }>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    if (map.size >= MAX_ENTRIES) {
      const now = this.now();
      for (const [old, entry] of map) if (entry.resetAt <= now) map.delete(old);
      // Still full of live entries: forget the oldest (Map keeps insertion order).
      while (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value as string);
    }
    map.set(key, value);
  }
}
