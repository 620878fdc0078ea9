import { describe, expect, it } from 'vitest';
import { fileNameFromDisposition } from './download';

describe('file name of a download', () => {
  it('prefers the UTF-8 name (Chinese file names)', () => {
    expect(fileNameFromDisposition(`attachment; filename="accounts.csv"; filename*=UTF-8''%E5%AE%A2%E6%88%B7%E6%A1%A3%E6%A1%88.csv`, 'x')).toBe('客户档案.csv');
  });

  it('falls back to the plain name, then to the default', () => {
    expect(fileNameFromDisposition('attachment; filename="accounts-2026.xlsx"', 'x')).toBe('accounts-2026.xlsx');
    expect(fileNameFromDisposition('attachment; filename=a.csv', 'x')).toBe('a.csv');
    expect(fileNameFromDisposition('attachment', 'fallback.csv')).toBe('fallback.csv');
    expect(fileNameFromDisposition(null, 'fallback.csv')).toBe('fallback.csv');
    expect(fileNameFromDisposition(`attachment; filename*=UTF-8''%E0%A4%A; filename="ok.csv"`, 'x')).toBe('ok.csv');
  });
});
