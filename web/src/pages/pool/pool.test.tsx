import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { I18nProvider } from '../../i18n';
import { limitErrorKey, limitProgressStatus, limitStatus } from './limits';
import { ApiError } from '../../api/client';
import { LimitsPanel } from './index';
import { poolSettingsChanges } from '../admin/pool-settings/service';
import type { PoolSettings } from '../accounts/tabs/types';

const settings: PoolSettings = { max_owned_per_user: 200, max_claims_per_day: 20, recovery_days: { A: 90, B: 60, C: 30, none: 30 }, version: 3 };

describe('pool limits', () => {
  it('computes remaining, percent, near and full', () => {
    expect(limitStatus(50, 200)).toEqual({ used: 50, max: 200, remaining: 150, percent: 25, full: false, near: false });
    expect(limitStatus(185, 200)).toMatchObject({ near: true, full: false, remaining: 15 });
    expect(limitStatus(200, 200)).toMatchObject({ full: true, percent: 100, remaining: 0 });
    expect(limitStatus(250, 200)).toMatchObject({ full: true, percent: 100, remaining: 0 });
    expect(limitStatus(0, 0)).toMatchObject({ full: true, percent: 100 });
    expect(limitStatus(null, 20)).toMatchObject({ used: 0, remaining: 20 });
    expect(limitStatus(5, undefined)).toBeNull();
  });

  it('colours the bar by status', () => {
    expect(limitProgressStatus(limitStatus(10, 200)!)).toBe('normal');
    expect(limitProgressStatus(limitStatus(190, 200)!)).toBe('active');
    expect(limitProgressStatus(limitStatus(200, 200)!)).toBe('exception');
  });

  it('shows owned out of the maximum and the daily claim limit', () => {
    render(
      <I18nProvider initial="zh-CN">
        <LimitsPanel owned={12} claimsToday={null} settings={settings} />
      </I18nProvider>,
    );
    expect(screen.getByText('我的客户数')).toBeTruthy();
    expect(screen.getByTestId('pool-owned').textContent).toContain('12');
    expect(screen.getByTestId('pool-owned').textContent).toContain('/ 200');
    expect(screen.getByText('每日领取上限')).toBeTruthy();
    expect(screen.getByTestId('pool-claims').textContent).toContain('20');
    expect(screen.queryByText('已达持有上限，请先释放客户')).toBeNull();
  });

  it('warns when the user owns the maximum, and shows claims today when known', () => {
    render(
      <I18nProvider initial="zh-CN">
        <LimitsPanel owned={200} claimsToday={3} settings={settings} />
      </I18nProvider>,
    );
    expect(screen.getByText('已达持有上限，请先释放客户')).toBeTruthy();
    expect(screen.getByText('今日已领取')).toBeTruthy();
    expect(screen.getByTestId('pool-claims').textContent).toContain('/ 20');
  });
});

describe('limit errors', () => {
  it('names the limit the server refused on', () => {
    expect(limitErrorKey(new ApiError({ status: 422, errors: [{ field: 'max_owned_per_user', message: 'limit exceeded' }] }))).toBe('pool.limitOwned');
    expect(limitErrorKey(new ApiError({ status: 422, errors: [{ field: 'max_claims_per_day', message: 'limit exceeded' }] }))).toBe('pool.limitClaims');
    expect(limitErrorKey(new ApiError({ status: 409 }))).toBeNull();
    expect(limitErrorKey(new Error('x'))).toBeNull();
  });
});

describe('pool settings form', () => {
  it('sends only changed numbers, recovery days as a whole', () => {
    expect(poolSettingsChanges({ ...settings }, settings)).toEqual({});
    expect(poolSettingsChanges({ ...settings, max_claims_per_day: 5 }, settings)).toEqual({ max_claims_per_day: 5 });
    expect(poolSettingsChanges({ ...settings, recovery_days: { ...settings.recovery_days, B: 45 } }, settings)).toEqual({
      recovery_days: { A: 90, B: 45, C: 30, none: 30 },
    });
  });
});
