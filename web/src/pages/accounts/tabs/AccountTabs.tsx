// The tabs under the account record: 联系人 (with the buying centre's relationship map),
// 二级客户, 竞争对手, 归属记录. Mounted by AccountDetail below its own content.
import { Card, Tabs } from 'antd';
import { useAuth } from '../../../auth/AuthContext';
import { useI18n } from '../../../i18n';
import type { Account } from '../../../api/types';
import ContactsTab from './ContactsTab';
import SecondaryCustomersTab from './SecondaryCustomersTab';
import CompetitorsTab from './CompetitorsTab';
import OwnershipTab from './OwnershipTab';
import type { AccountOwnershipFields } from './types';

export interface AccountTabsProps {
  account: Account;
  /** Reload the account (a contact change may move its relationship stage). */
  onAccountChanged?: () => void;
}

export default function AccountTabs({ account, onAccountChanged }: AccountTabsProps) {
  const { t } = useI18n();
  const { can } = useAuth();
  const a = account as Account & AccountOwnershipFields;
  const common = { accountId: a.id, accountName: a.name, canWrite: can('accounts.write'), onAccountChanged };
  return (
    <Card data-testid="account-tabs">
      <Tabs
        defaultActiveKey="contacts"
        items={[
          { key: 'contacts', label: <span data-testid="tab-contacts">{t('contact.tab')}</span>, children: <ContactsTab {...common} /> },
          { key: 'secondary', label: <span data-testid="tab-secondary">{t('secondary.tab')}</span>, children: <SecondaryCustomersTab {...common} /> },
          { key: 'competitors', label: <span data-testid="tab-competitors">{t('competitor.tab')}</span>, children: <CompetitorsTab {...common} /> },
          {
            key: 'ownership',
            label: <span data-testid="tab-ownership">{t('pool.ownershipTab')}</span>,
            children: <OwnershipTab accountId={a.id} ownerName={a.owner_name} ownedSince={a.owned_since} refreshKey={`${a.owner_id}-${a.version}`} />,
          },
        ]}
      />
    </Card>
  );
}
