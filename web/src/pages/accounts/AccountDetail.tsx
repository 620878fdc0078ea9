// Account detail: the record (Descriptions), edit and delete (with confirmation), and its
// change history from the audit log.
import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { App as AntApp, Button, Card, Empty, Result, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined, DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { useAuth } from '../../auth/AuthContext';
import { useI18n, type MessageKey } from '../../i18n';
import { describeError } from '../../api/errors';
import type { Account, AuditEntry } from '../../api/types';
import { formatInstant } from '../../utils/format';
import { deleteAccount, getAccount, listAccountAudit } from './service';
import { auditChanges, type FieldChange } from './audit';
import AccountTabs from './tabs/AccountTabs';
import OpportunitiesTab from './tabs/OpportunitiesTab';
import TimelineTab from './tabs/TimelineTab';
import OwnershipActions from './tabs/OwnershipActions';
import DevelopmentCostCard from '../approvals/DevelopmentCost';
import ArchiveDescriptions, { ARCHIVE_AUDIT_LABELS, formatAuditValue } from './ArchiveDescriptions';

const FIELD_LABELS: Record<string, MessageKey> = {
  archive_no: 'account.archiveNo',
  name: 'account.name',
  industry: 'account.industry',
  province: 'account.province',
  city: 'account.city',
  address: 'account.address',
  owner_id: 'account.owner',
  owner_name: 'account.owner',
  department_id: 'account.department',
  department_name: 'account.department',
  ...ARCHIVE_AUDIT_LABELS,
};
const FIELD_ORDER = Object.keys(FIELD_LABELS);
const ACTION_COLORS: Record<string, string> = { create: 'green', update: 'blue', delete: 'red' };

/**
 * The changes worth showing: on a create, only fields that got a value; an `x_id` is left out
 * when its readable twin `x_name` changed too (负责人 5 → 负责人 张伟).
 */
export function visibleChanges(entry: Pick<AuditEntry, 'action' | 'before' | 'after'>): FieldChange[] {
  const changes = auditChanges(entry, FIELD_ORDER).filter((c) => !(entry.action === 'create' && (c.after === null || c.after === '')));
  const fields = new Set(changes.map((c) => c.field));
  return changes.filter((c) => !(c.field.endsWith('_id') && fields.has(c.field.replace(/_id$/, '_name'))));
}

function AuditHistory({ entries, loading }: { entries: AuditEntry[]; loading: boolean }) {
  const { t } = useI18n();
  if (loading) return <Spin />;
  if (!entries.length) return <Empty description={t('account.noHistory')} image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  const actionLabel = (action: string) => (['create', 'update', 'delete'].includes(action) ? t(`audit.${action}` as MessageKey) : action);
  return (
    <Timeline
      data-testid="audit-list"
      items={entries.map((entry) => ({
        key: entry.id,
        color: ACTION_COLORS[entry.action] ?? 'gray',
        children: (
          <div data-testid="audit-entry">
            <Space wrap size={8}>
              <Typography.Text type="secondary">{formatInstant(entry.at)}</Typography.Text>
              <Typography.Text strong>{entry.user_name || (entry.user_id ?? '')}</Typography.Text>
              <Tag color={ACTION_COLORS[entry.action]}>{actionLabel(entry.action)}</Tag>
            </Space>
            {entry.action !== 'delete' ? (
              <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
                {visibleChanges(entry).map((c) => (
                  <li key={c.field} style={{ wordBreak: 'break-word' }}>
                    <Typography.Text type="secondary">
                      {t('audit.fieldLabel', { field: FIELD_LABELS[c.field] ? t(FIELD_LABELS[c.field]) : c.field })}
                    </Typography.Text>
                    {entry.action === 'update' ? (
                      <>
                        <Typography.Text delete type="secondary">
                          {formatAuditValue(c.field, c.before, t) || t('audit.empty')}
                        </Typography.Text>
                        {' → '}
                      </>
                    ) : null}
                    <Typography.Text>{formatAuditValue(c.field, c.after, t) || t('audit.empty')}</Typography.Text>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ),
      }))}
    />
  );
}

export default function AccountDetail() {
  const { id } = useParams();
  const { t } = useI18n();
  const { can } = useAuth();
  const { message, modal } = AntApp.useApp();
  const navigate = useNavigate();
  const [account, setAccount] = useState<Account | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [auditLoading, setAuditLoading] = useState(false);
  const canAudit = can('audit.read');

  const load = useCallback(async () => {
    if (!id) return;
    setError(null);
    try {
      setAccount(await getAccount(id));
    } catch (e) {
      setError(e);
      return;
    }
    if (canAudit) {
      setAuditLoading(true);
      try {
        const page = await listAccountAudit(id);
        setAudit([...page.items].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.id - a.id)));
      } catch (e) {
        message.error(describeError(e, t));
      } finally {
        setAuditLoading(false);
      }
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, canAudit]);

  useEffect(() => {
    void load();
  }, [load]);

  const onDelete = () => {
    if (!account) return;
    modal.confirm({
      title: t('account.deleteConfirmTitle'),
      content: t('account.deleteConfirm', { name: account.name }),
      okText: t('common.delete'),
      okButtonProps: { danger: true, 'data-testid': 'confirm-delete' } as never,
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await deleteAccount(account.id);
          message.success(t('common.deleted'));
          navigate('/accounts', { replace: true });
        } catch (e) {
          message.error(describeError(e, t));
        }
      },
    });
  };

  if (error) {
    return (
      <Result
        status="warning"
        title={describeError(error, t)}
        extra={<Button onClick={() => navigate('/accounts')}>{t('common.back')}</Button>}
      />
    );
  }
  if (!account) {
    return (
      <Card>
        <Spin />
      </Card>
    );
  }

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <div className="kam-page-header">
          <Space wrap>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/accounts')} aria-label={t('common.back')} />
            <Typography.Title level={4} data-testid="account-title">
              {account.name}
            </Typography.Title>
          </Space>
          <Space wrap>
            <OwnershipActions account={account} onChanged={() => void load()} />
            {can('accounts.write') ? (
              <Button
                type="primary"
                icon={<EditOutlined />}
                onClick={() => navigate(`/accounts/${account.id}/edit`)}
                data-testid="account-edit"
              >
                {t('common.edit')}
              </Button>
            ) : null}
            {can('accounts.delete') ? (
              <Button danger icon={<DeleteOutlined />} onClick={onDelete} data-testid="account-delete">
                {t('common.delete')}
              </Button>
            ) : null}
          </Space>
        </div>
        <ArchiveDescriptions account={account} />
      </Card>
      {canAudit ? (
        <Card title={t('account.history')} data-testid="account-history">
          <AuditHistory entries={audit} loading={auditLoading} />
        </Card>
      ) : null}
      <AccountTabs account={account} onAccountChanged={() => void load()} />
      <DevelopmentCostCard accountId={account.id} />
      {can('activities.read') && (
        <Card title={t('activities.timeline.tab')} data-testid="account-timeline-card">
          <TimelineTab accountId={account.id} canWrite={can('activities.write')} onAccountChanged={() => void load()} />
        </Card>
      )}
      <Card title={t('pipeline.tab')} data-testid="account-opportunities">
        <OpportunitiesTab accountId={account.id} />
      </Card>
    </Space>
  );
}
