// Money on the archive: the API carries integer fen (分), people read and type yuan (元) with up
// to two decimals. Conversion works on the decimal digits of strings, never through floating
// point, so 0.29 元 is 29 分 and not 28.999….

/** Largest integer part accepted, in digits: 10^13 yuan keeps fen below 2^53 (a safe JSON number). */
export const MAX_YUAN_DIGITS = 13;

const YUAN_PATTERN = new RegExp(`^(\\d{1,${MAX_YUAN_DIGITS}})(?:\\.(\\d{0,2}))?$`);

/**
 * Yuan as typed ("1,234.5", " ¥ 12 ", "0.29", "3.") → fen as a number; null for blank input;
 * undefined when it is not an amount of at most two decimals (negative, 1e3, 1.234, letters).
 */
export function yuanToFen(text: string | null | undefined): number | null | undefined {
  const cleaned = (text ?? '').replace(/[\s,，_]/g, '').replace(/^[¥￥]/, '');
  if (cleaned === '') return null;
  const match = YUAN_PATTERN.exec(cleaned);
  if (!match) return undefined;
  const digits = (match[1] + (match[2] ?? '').padEnd(2, '0')).replace(/^0+(?=\d)/, '');
  return Number(digits); // an integer string of at most 15 digits: exact
}

/** Fen → yuan with exactly two decimals ("1234.50"); "" for null/undefined/non-integers. */
export function fenToYuan(fen: number | string | null | undefined): string {
  if (fen === null || fen === undefined || fen === '') return '';
  const text = String(fen).trim();
  if (!/^-?\d+$/.test(text)) return '';
  const negative = text.startsWith('-');
  const digits = (negative ? text.slice(1) : text).replace(/^0+(?=\d)/, '').padStart(3, '0');
  const yuan = `${digits.slice(0, -2)}.${digits.slice(-2)}`;
  return negative && /[1-9]/.test(digits) ? `-${yuan}` : yuan;
}

/** Fen for reading: "1,234,567.80" (thousands separated), "" when absent. */
export function formatYuan(fen: number | string | null | undefined): string {
  const yuan = fenToYuan(fen);
  if (!yuan) return '';
  const [whole, decimals] = yuan.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${decimals}`;
}
