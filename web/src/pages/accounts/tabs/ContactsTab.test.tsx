import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { I18nProvider } from '../../../i18n';
import type { BuyingCenter } from './types';

const center: BuyingCenter = {
  account_id: 7,
  relationship_stage: 'stabilize',
  contacts: [
    {
      id: 1,
      account_id: 7,
      name: '张总',
      title: '总经理',
      department: null,
      phone: '13800000000',
      email: null,
      buying_role: 'decision_maker',
      attitude: 'supporter',
      relationship_level: 4,
      status: 'active',
      notes: null,
      version: 1,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    },
  ],
  summary: { decision_makers: 1, supporters: 1, opponents: 0, insiders: 0 },
};

vi.mock('./service', () => ({
  getBuyingCenter: vi.fn(async () => center),
  createContact: vi.fn(),
  updateContact: vi.fn(),
  deleteContact: vi.fn(),
}));
// The chart itself is not drawn under jsdom; the lazy chunk is replaced by a marker.
vi.mock('./RelationshipMap', () => ({
  default: ({ contacts }: { contacts: unknown[] }) => <div data-testid="relationship-map">{contacts.length}</div>,
}));

import ContactsTab from './ContactsTab';

describe('contacts tab', () => {
  it('shows the stage, the summary, the map and the list from the buying centre', async () => {
    render(
      <I18nProvider initial="zh-CN">
        <AntApp>
          <ContactsTab accountId={7} accountName="星河电子" canWrite />
        </AntApp>
      </I18nProvider>,
    );
    expect((await screen.findByTestId('relationship-stage')).textContent).toBe('稳定关系');
    expect(screen.getByTestId('summary-decision-makers').textContent).toContain('1');
    expect(screen.getByTestId('summary-opponents').textContent).toContain('0');
    expect((await screen.findByTestId('relationship-map')).textContent).toBe('1');
    expect(screen.getByText('张总')).toBeTruthy();
    expect(screen.getByText('决策者', { selector: 'td' })).toBeTruthy();
    expect(screen.getByTestId('contact-new')).toBeTruthy();
  }, 30_000);

  it('hides the write buttons from a reader', async () => {
    render(
      <I18nProvider initial="zh-CN">
        <AntApp>
          <ContactsTab accountId={7} accountName="星河电子" canWrite={false} />
        </AntApp>
      </I18nProvider>,
    );
    await screen.findByTestId('relationship-stage');
    expect(screen.queryByTestId('contact-new')).toBeNull();
    expect(screen.queryByText('标记离职')).toBeNull();
  }, 30_000);
});
