import { describe, expect, it } from 'vitest';
import { byDay, groupByQuadrant, isoWeekOf, percent, quadrantOf, shiftWeek, weekDays, weekStart } from './logic';

describe('quadrants', () => {
  it('places tasks by urgency and importance', () => {
    expect(quadrantOf({ urgent: true, important: true })).toBe('q1');
    expect(quadrantOf({ urgent: false, important: true })).toBe('q2');
    expect(quadrantOf({ urgent: true, important: false })).toBe('q3');
    expect(quadrantOf({ urgent: false, important: false })).toBe('q4');
  });
  it('groups and sorts by due date', () => {
    const g = groupByQuadrant([
      { id: 1, urgent: false, important: true, due_at: '2026-12-02T00:00:00Z' },
      { id: 2, urgent: false, important: true, due_at: '2026-12-01T00:00:00Z' },
      { id: 3, urgent: true, important: false, due_at: '2026-12-01T00:00:00Z' },
    ]);
    expect(g.q2.map((t) => t.id)).toEqual([2, 1]);
    expect(g.q3.map((t) => t.id)).toEqual([3]);
    expect(g.q1).toEqual([]);
  });
});

describe('ISO weeks', () => {
  it('agrees with the server on edges', () => {
    expect(isoWeekOf(new Date('2026-11-29T23:59:59Z'))).toBe('2026-W48');
    expect(isoWeekOf(new Date('2026-11-30T00:00:00Z'))).toBe('2026-W49');
    expect(isoWeekOf(new Date('2027-01-01T12:00:00Z'))).toBe('2026-W53');
    expect(isoWeekOf(new Date('2024-12-30T12:00:00Z'))).toBe('2025-W01');
    expect(weekStart('2026-W48')?.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(weekStart('nope')).toBeNull();
    expect(shiftWeek('2026-W53', 1)).toBe('2027-W01');
    expect(shiftWeek('2027-W01', -1)).toBe('2026-W53');
    expect(weekDays('2026-W48')).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
  });
});

describe('calendar and figures', () => {
  it('groups entries by day in time order', () => {
    const days = byDay([
      { kind: 'visit', id: 2, at: '2026-11-24T15:00:00', title: 'b' },
      { kind: 'plan', id: 1, at: '2026-11-24T09:00:00', title: 'a' },
    ]);
    expect([...days.values()][0].map((e) => e.id)).toEqual([1, 2]);
  });
  it('formats basis points', () => {
    expect(percent(6666)).toBe('66.7%');
    expect(percent(10000)).toBe('100.0%');
    expect(percent(null)).toBe('—');
  });
});
