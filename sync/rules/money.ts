/**
 * Money is integer cents everywhere. Intermediate products go through BigInt so that a price times
 * a large quantity, or a percentage of it, is exact before the one explicit rounding step.
 *
 * Rounding: half-even ("banker's rounding") by default. It is the rule of ABNT NBR 5891 (the Brazilian
 * standard for rounding decimals), and over thousands of lines it has no systematic upward bias, so a
 * store's discount reports do not drift from the sum of its receipts. Half-up stays available for a
 * caller that must match an outside system which rounds that way.
 */
export type Rounding = 'halfEven' | 'halfUp';
export const DEFAULT_ROUNDING: Rounding = 'halfEven';

/** 10,000 basis points = 100 %; 199 bp = 1.99 %. Integer basis points keep percentages exact. */
export const BASIS_POINTS = 10_000;

export function isCents(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function assertCents(value: number, what = 'amount'): number {
  if (!isCents(value)) throw new RangeError(`${what} must be a non-negative whole number of cents, got ${value}.`);
  return value;
}

function assertCount(value: number, what: string, min = 0): number {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${what} must be a whole number ≥ ${min}, got ${value}.`);
  return value;
}

function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${what} is too large to be represented exactly (${value} cents).`);
  }
  return Number(value);
}

/** numerator / denominator rounded to an integer; denominator must be positive. */
export function divideRounded(numerator: bigint, denominator: bigint, rounding: Rounding = DEFAULT_ROUNDING): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive.');
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / denominator;
  const twiceRemainder = (magnitude % denominator) * 2n;
  const roundAway =
    twiceRemainder > denominator ||
    (twiceRemainder === denominator && (rounding === 'halfUp' || quotient % 2n === 1n));
  if (roundAway) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** "R$ 1.234,56" for messages; the UI formats with Intl in the user's locale instead. */
export function formatBrl(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const magnitude = Math.abs(cents);
  const reais = Math.floor(magnitude / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}R$ ${reais},${String(magnitude % 100).padStart(2, '0')}`;
}

export function sumCents(values: readonly number[]): number {
  let total = 0n;
  for (const value of values) total += BigInt(assertCents(value));
  return toSafeNumber(total, 'sum');
}

export function multiplyCents(unitCents: number, quantity: number): number {
  return toSafeNumber(BigInt(assertCents(unitCents, 'unit price')) * BigInt(assertCount(quantity, 'quantity')), 'line amount');
}

/** `basisPoints` of `amountCents`, e.g. percentOfCents(1999, 1000) = 10 % of R$ 19,99 = 200 (199.9 rounded). */
export function percentOfCents(amountCents: number, basisPoints: number, rounding: Rounding = DEFAULT_ROUNDING): number {
  assertCents(amountCents);
  assertCount(basisPoints, 'basis points');
  return toSafeNumber(divideRounded(BigInt(amountCents) * BigInt(basisPoints), BigInt(BASIS_POINTS), rounding), 'percentage');
}

/**
 * Splits `totalCents` over parts in proportion to `weights` (largest remainder method): every part
 * gets the floor of its exact share, and the cents left over go one each to the largest fractional
 * remainders, ties to the earlier part. The result always sums to the total exactly, is never
 * negative, and a zero-weight part gets nothing unless every weight is zero (then the split is even).
 */
export function allocateCents(totalCents: number, weights: readonly number[]): number[] {
  assertCents(totalCents, 'total');
  if (weights.length === 0) {
    if (totalCents === 0) return [];
    throw new RangeError('cannot allocate a non-zero amount over no parts.');
  }
  const big = weights.map((weight) => BigInt(assertCount(weight, 'weight')));
  const effective = big.every((weight) => weight === 0n) ? big.map(() => 1n) : big;
  const weightSum = effective.reduce((sum, weight) => sum + weight, 0n);
  const total = BigInt(totalCents);
  const shares = effective.map((weight) => (total * weight) / weightSum);
  const remainders = effective.map((weight, index) => ({ index, remainder: (total * weight) % weightSum }));
  let left = total - shares.reduce((sum, share) => sum + share, 0n);
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (left === 0n) break;
    shares[index]! += 1n;
    left -= 1n;
  }
  return shares.map((share) => Number(share));
}

export interface InstallmentPlan {
  principalCents: number;
  /** Amount of each installment, first to last; sums to totalCents. */
  installments: number[];
  totalCents: number;
  /** totalCents − principalCents; 0 without interest. */
  interestCents: number;
}

/**
 * n× without interest: equal installments, the cents that do not divide go on the first one (the
 * customer pays the odd cents up front, as Brazilian card machines print it).
 */
export function splitInstallments(totalCents: number, count: number): number[] {
  assertCents(totalCents, 'total');
  assertCount(count, 'installment count', 1);
  const base = Math.floor(totalCents / count);
  const installments = new Array<number>(count).fill(base);
  installments[0] = totalCents - base * (count - 1);
  return installments;
}

/**
 * n× with monthly interest (Price table / PMT: equal payments, compound interest at `interestBp` a
 * month). The exact total n × PMT is computed as a rational in BigInt — no floating point, so station
 * and server get the same cent — rounded once, then split like an interest-free plan. Rounding the
 * total rather than each payment keeps the total within half a cent of the exact amount and never
 * below the principal, so interest is never negative.
 */
export function installmentPlan(principalCents: number, count: number, interestBp: number): InstallmentPlan {
  assertCents(principalCents, 'principal');
  assertCount(count, 'installment count', 1);
  assertCount(interestBp, 'monthly interest');
  let totalCents = principalCents;
  if (interestBp > 0 && principalCents > 0) {
    // PMT = P·i·(1+i)^n / ((1+i)^n − 1) with i = bp/10⁴ ⇒ n·PMT = n·P·bp·(10⁴+bp)^n / (10⁴·((10⁴+bp)^n − 10⁴^n)).
    const scale = BigInt(BASIS_POINTS);
    const n = BigInt(count);
    const grown = (scale + BigInt(interestBp)) ** n;
    const numerator = n * BigInt(principalCents) * BigInt(interestBp) * grown;
    const denominator = scale * (grown - scale ** n);
    totalCents = toSafeNumber(divideRounded(numerator, denominator), 'installment total');
  }
  return {
    principalCents,
    installments: splitInstallments(totalCents, count),
    totalCents,
    interestCents: totalCents - principalCents,
  };
}
