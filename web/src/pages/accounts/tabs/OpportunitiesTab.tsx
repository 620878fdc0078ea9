// 开发项目 tab: the account's opportunities in the five-stage pipeline (stage, status, value,
// stalled), each linking to its detail page, and a button to start a new one for this account.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useAuth } from '../../../auth/AuthContext';
import { useI18n, type MessageKey } from '../../../i18n';
import { describeError } from '../../../api/errors';
import { fenToYuan } from '../money';
import { listOpportunities } from '../../pipeline/service';
import { NewOpportunityModal } from '../../pipeline/index';
import type { Opportunity } from '../../pipeline/types';

export default function OpportunitiesTab({ accountId }: { accountId: number }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [items, setItems] = useState<Opportunity[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const load = useCallback(async () => {
    try {
      setItems((await listOpportunities({ account_id: accountId, limit: 200 })).items);
      setError(null);
    } catch (e) {
      setError(describeError(e, t));
    }
  }, [accountId, t]);
  useEffect(() => void load(), [load]);
  if (!can('opportunities.read')) return null;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="opportunities-tab">
      {error && <Alert type="error" showIcon message={error} />}
      {can('opportunities.write') && (
        <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="account-new-opportunity">
          {t('pipeline.new')}
        </Button>
      )}
      <Table<Opportunity>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={items}
        columns={[
          { title: t('pipeline.field.name'), key: 'name', render: (_, o) => <Link to={`/pipeline/opportunities/${o.id}`}>{o.name}</Link> },
          { title: t('pipeline.history.stage'), key: 'stage', render: (_, o) => t(`pipeline.stage.${o.stage}` as MessageKey) },
          {
            title: t('pipeline.statusTitle'),
            key: 'status',
            render: (_, o) => (
              <Space>
                <Tag>{t(`pipeline.status.${o.status}` as MessageKey)}</Tag>
                {o.stalled && <Tag color="orange">{t('pipeline.stalled')}</Tag>}
              </Space>
            ),
          },
          { title: t('pipeline.field.expectedValue'), key: 'value', render: (_, o) => `¥${fenToYuan(o.expected_value_fen)}` },
          { title: t('pipeline.field.owner'), dataIndex: 'owner_name' },
        ]}
      />
      <NewOpportunityModal
        open={creating}
        accountId={accountId}
        onClose={() => setCreating(false)}
        onCreated={(o) => navigate(`/pipeline/opportunities/${o.id}`)}
      />
    </Space>
  );
}
