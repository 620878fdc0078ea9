// Pure helpers of the approvals pages: where a request stands in its chain (for antd Steps),
// status colours, the total of a reception's budget lines, and periods for budgets.
import { yuanToFen } from '../accounts/money';
import type { ApprovalStep, ApprovalStatus } from './types';

export type StepsStatus = 'wait' | 'process' | 'finish' | 'error';

/** antd Steps: the index of the current step and the state of each. */
export function stepsView(requestStatus: ApprovalStatus, steps: Pick<ApprovalStep, 'status'>[]): { current: number; items: StepsStatus[] } {
  const items: StepsStatus[] = steps.map((s) => {
    switch (s.status) {
      case 'approved':
        return 'finish';
      case 'rejected':
      case 'returned':
      case 'withdrawn':
        return 'error';
      case 'pending':
        return 'process';
      default:
        return 'wait';
    }
  });
  let current = steps.findIndex((s) => s.status === 'pending' || s.status === 'rejected' || s.status === 'returned' || s.status === 'withdrawn');
  if (current < 0) current = requestStatus === 'approved' ? steps.length - 1 : 0;
  return { current, items };
}

export const STATUS_COLOR: Record<ApprovalStatus, string> = {
  draft: 'default',
  pending: 'processing',
  approved: 'success',
  rejected: 'error',
  returned: 'warning',
  withdrawn: 'default',
};

/** The total in fen of budget lines typed in yuan; undefined while any line is not an amount. */
export function linesTotalFen(lines: { amount?: string | null }[] | undefined): number | undefined {
  let total = 0;
  for (const line of lines ?? []) {
    const fen = yuanToFen(line?.amount ?? '');
    if (fen === undefined) return undefined;
    total += fen ?? 0;
  }
  return total;
}

/** Budget periods around a date: its quarter and year, and the next quarter ("2026-Q4", "2026", "2027-Q1"). */
export function periodChoices(today: Date): string[] {
  const year = today.getFullYear();
  const quarter = Math.floor(today.getMonth() / 3) + 1;
  const next = quarter === 4 ? `${year + 1}-Q1` : `${year}-Q${quarter + 1}`;
  return [`${year}-Q${quarter}`, `${year}`, next, `${year + 1}`];
}

/** Is `text` a period the server accepts (2026-Q4 or 2026)? */
export function isPeriod(text: string): boolean {
  return /^(2\d{3})(-Q[1-4])?$/.test(text.trim());
}
