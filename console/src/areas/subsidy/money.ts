/**
 * Amounts as the subsidy API sends and takes them: decimal strings with at most 2 places (R-ROUNDING: exact
 * decimal). They are added as whole fen in BigInt, never through a float; only a chart's geometry (the length of
 * a bar) turns one into a number, and every figure the user reads is the decimal string itself.
 */

/** What an amount input accepts, as the API does: up to 12 digits of yuan and 2 of fen, no sign, no exponent. */
export const MONEY_INPUT = /^\d{1,12}(\.\d{1,2})?$/;

export function isMoneyInput(value: string): boolean {
  return MONEY_INPUT.test(value.trim());
}

/** A decimal string as whole fen ("-12.5" -> -1250n). Throws on anything else (an amount is never guessed). */
export function toFen(value: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!match) throw new Error(`not an amount: ${value}`);
  const [, sign, whole, fraction = ""] = match;
  const fen = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0") || "0");
  return sign ? -fen : fen;
}

/** Whole fen as the API's decimal string with exactly 2 places (-1250n -> "-12.50"). */
export function fromFen(fen: bigint): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const fraction = (abs % 100n).toString().padStart(2, "0");
  return `${negative ? "-" : ""}${abs / 100n}.${fraction}`;
}

/** The exact sum of decimal strings. */
export function sumMoney(values: readonly string[]): string {
  return fromFen(values.reduce((total, value) => total + toFen(value), 0n));
}

/** Whether ``a`` is more than ``b`` (exactly). */
export function moreThan(a: string, b: string): boolean {
  return toFen(a) > toFen(b);
}

/**
 * An amount as the length of a bar or a slice, in yuan: the one place an amount becomes a number (a chart
 * cannot draw a string). Exact up to 2^53 fen; the chart's labels and tooltips show the decimal string.
 */
export function chartLength(value: string): number {
  return Number(toFen(value)) / 100;
}
