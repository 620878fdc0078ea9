import { describe, expect, test } from 'vitest';
import { isPeriod, linesTotalFen, periodChoices, stepsView } from './chain';

describe('stepsView', () => {
  test('a pending request points at its pending step', () => {
    expect(stepsView('pending', [{ status: 'approved' }, { status: 'pending' }, { status: 'waiting' }])).toEqual({
      current: 1,
      items: ['finish', 'process', 'wait'],
    });
  });
  test('a rejected or returned request points at the step that said no', () => {
    expect(stepsView('rejected', [{ status: 'rejected' }, { status: 'waiting' }]).current).toBe(0);
    expect(stepsView('returned', [{ status: 'approved' }, { status: 'returned' }]).items).toEqual(['finish', 'error']);
  });
  test('an approved request ends on its last step; a draft previews from the first', () => {
    expect(stepsView('approved', [{ status: 'approved' }, { status: 'approved' }]).current).toBe(1);
    expect(stepsView('draft', [{ status: 'preview' }, { status: 'preview' }])).toEqual({ current: 0, items: ['wait', 'wait'] });
  });
});

describe('linesTotalFen', () => {
  test('sums yuan exactly in fen', () => {
    expect(linesTotalFen([{ amount: '0.29' }, { amount: '1,200.5' }, { amount: '' }])).toBe(120079);
    expect(linesTotalFen([])).toBe(0);
    expect(linesTotalFen(undefined)).toBe(0);
  });
  test('undefined while a line is not an amount', () => {
    expect(linesTotalFen([{ amount: '12' }, { amount: '-3' }])).toBeUndefined();
    expect(linesTotalFen([{ amount: '1.234' }])).toBeUndefined();
  });
});

describe('periods', () => {
  test('choices around a date', () => {
    expect(periodChoices(new Date(2026, 10, 29))).toEqual(['2026-Q4', '2026', '2027-Q1', '2027']);
    expect(periodChoices(new Date(2026, 0, 1))).toEqual(['2026-Q1', '2026', '2026-Q2', '2027']);
  });
  test('accepted codes', () => {
    for (const ok of ['2026', '2026-Q1', '2026-Q4']) expect(isPeriod(ok)).toBe(true);
    for (const bad of ['26', '2026-Q5', '2026Q4', '2026-q4', '1999', '']) expect(isPeriod(bad)).toBe(false);
  });
});
