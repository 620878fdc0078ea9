import { beforeEach, describe, expect, it } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { I18nProvider, LOCALE_STORAGE_KEY, dictionaries, loadLocale, translate, useI18n } from './index';

function Probe() {
  const { t, locale, setLocale } = useI18n();
  return (
    <div>
      <span data-testid="label">{t('menu.accounts')}</span>
      <span data-testid="locale">{locale}</span>
      <button onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>switch</button>
    </div>
  );
}

describe('i18n', () => {
  beforeEach(() => window.localStorage.clear());

  it('has the same keys in both dictionaries, none empty', () => {
    const zh = Object.keys(dictionaries['zh-CN']).sort();
    expect(Object.keys(dictionaries.en).sort()).toEqual(zh);
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const [key, value] of Object.entries(dictionaries[locale])) expect(value, `${locale} ${key}`).not.toBe('');
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('zh-CN', 'common.total', { total: 42 })).toBe('共 42 条');
    expect(translate('en', 'dashboard.welcome', { name: 'Li' })).toBe('Welcome, Li');
    expect(translate('en', 'dashboard.welcome')).toBe('Welcome, {name}');
  });

  it('defaults to Chinese', () => {
    expect(loadLocale()).toBe('zh-CN');
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    expect(screen.getByTestId('label').textContent).toBe('客户档案');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('switches to English, remembers it, and starts in English next time', () => {
    const { unmount } = render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    act(() => {
      fireEvent.click(screen.getByText('switch'));
    });
    expect(screen.getByTestId('label').textContent).toBe('Accounts');
    expect(window.localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('en');
    unmount();
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    expect(screen.getByTestId('locale').textContent).toBe('en');
    expect(screen.getByTestId('label').textContent).toBe('Accounts');
  });

  it('ignores a garbage stored value', () => {
    window.localStorage.setItem(LOCALE_STORAGE_KEY, 'fr');
    expect(loadLocale()).toBe('zh-CN');
  });
});
