import { describe, expect, it } from 'vitest';
import { fenToYuan, formatYuan, yuanToFen } from './money';

describe('yuan → fen', () => {
  it('converts with integer arithmetic on the digits', () => {
    expect(yuanToFen('0.29')).toBe(29); // 0.29 * 100 = 28.999999999999996 in floating point
    expect(yuanToFen('1.1')).toBe(110);
    expect(yuanToFen('1.10')).toBe(110);
    expect(yuanToFen('19.99')).toBe(1999);
    expect(yuanToFen('4.35')).toBe(435); // 434.99999999999994 in floating point
    expect(yuanToFen('0')).toBe(0);
    expect(yuanToFen('007.5')).toBe(750);
    expect(yuanToFen('3.')).toBe(300);
    expect(yuanToFen('1,234,567.89')).toBe(123456789);
    expect(yuanToFen(' ¥ 12 ')).toBe(1200);
    expect(yuanToFen('9999999999999.99')).toBe(999999999999999);
  });

  it('answers null for blank and undefined for anything else', () => {
    expect(yuanToFen('')).toBeNull();
    expect(yuanToFen('   ')).toBeNull();
    expect(yuanToFen(undefined)).toBeNull();
    for (const bad of ['-1', '1.234', '1e3', 'abc', '.5', '1.2.3', '10000000000000', '+3', '１２']) expect(yuanToFen(bad), bad).toBeUndefined();
  });
});

describe('fen → yuan', () => {
  it('always shows two decimals', () => {
    expect(fenToYuan(0)).toBe('0.00');
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan(29)).toBe('0.29');
    expect(fenToYuan(123450)).toBe('1234.50');
    expect(fenToYuan('999999999999999')).toBe('9999999999999.99');
    expect(fenToYuan(-150)).toBe('-1.50');
  });

  it('is empty for nothing and for non-integers', () => {
    expect(fenToYuan(null)).toBe('');
    expect(fenToYuan(undefined)).toBe('');
    expect(fenToYuan(1.5)).toBe('');
  });

  it('round-trips through the form', () => {
    for (const fen of [0, 1, 10, 99, 100, 101, 123456789, 999999999999999]) expect(yuanToFen(fenToYuan(fen))).toBe(fen);
  });

  it('formats thousands for reading', () => {
    expect(formatYuan(123456789)).toBe('1,234,567.89');
    expect(formatYuan(100)).toBe('1.00');
    expect(formatYuan(-123456789)).toBe('-1,234,567.89');
    expect(formatYuan(null)).toBe('');
  });
});
