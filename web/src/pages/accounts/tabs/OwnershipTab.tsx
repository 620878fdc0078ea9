// 归属记录 tab: who owned the account when — claims from the pool, releases, transfers,
// recoveries by the pool job and imports — from GET /accounts/{id}/ownership-log.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Descriptions, Empty, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { useI18n, type MessageKey } from '../../../i18n';
import { describeError } from '../../../api/errors';
import { formatInstant } from '../../../utils/format';
import { listOwnershipLog } from './service';
import type { OwnershipLogEntry } from './types';

const ACTION_COLORS: Record<string, string> = { claim: 'green', release: 'orange', transfer: 'blue', recover: 'red', import: 'purple' };
const KNOWN_ACTIONS = Object.keys(ACTION_COLORS);

export interface OwnershipTabProps {
  accountId: number;
  ownerName: string | null | undefined;
  ownedSince: string | null | undefined;
  /** Changes whenever the owner changes, so the log is read again. */
  refreshKey?: unknown;
}

/** "张伟 → 李娜", with 公海 for the pool side. */
export function ownershipMove(entry: Pick<OwnershipLogEntry, 'from_user_id' | 'from_user_name' | 'to_user_id' | 'to_user_name'>, poolLabel: string): string {
  const from = entry.from_user_id === null ? poolLabel : entry.from_user_name || `#${entry.from_user_id}`;
  const to = entry.to_user_id === null ? poolLabel : entry.to_user_name || `#${entry.to_user_id}`;
  return `${from} → ${to}`;
}

export default function OwnershipTab({ accountId, ownerName, ownedSince, refreshKey }: OwnershipTabProps) {
  const { t } = useI18n();
  const [entries, setEntries] = useState<OwnershipLogEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      setEntries((await listOwnershipLog(accountId)).items);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [accountId]);

  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="ownership-tab">
      <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
        <Descriptions.Item label={t('pool.currentOwner')}>
          {ownerName ? ownerName : <Tag color="gold">{t('pool.inPool')}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t('pool.ownedSince')}>{formatInstant(ownedSince)}</Descriptions.Item>
      </Descriptions>
      {error ? <Alert type="error" showIcon message={describeError(error, t)} /> : null}
      {entries === null && !error ? <Spin /> : null}
      {entries !== null && entries.length === 0 ? <Empty description={t('pool.noOwnershipLog')} image={Empty.PRESENTED_IMAGE_SIMPLE} /> : null}
      {entries && entries.length ? (
        <Timeline
          data-testid="ownership-log"
          items={entries.map((entry) => ({
            key: entry.id,
            color: ACTION_COLORS[entry.action] ?? 'gray',
            children: (
              <div data-testid="ownership-entry" data-action={entry.action}>
                <Space wrap size={8}>
                  <Typography.Text type="secondary">{formatInstant(entry.at)}</Typography.Text>
                  <Tag color={ACTION_COLORS[entry.action]}>
                    {KNOWN_ACTIONS.includes(entry.action) ? t(`pool.action.${entry.action}` as MessageKey) : entry.action}
                  </Tag>
                  <Typography.Text>{ownershipMove(entry, t('pool.pool'))}</Typography.Text>
                </Space>
                {entry.by_user_id !== null || entry.by_user_name ? (
                  <div>
                    <Typography.Text type="secondary">{t('pool.byUser', { name: entry.by_user_name || `#${entry.by_user_id}` })}</Typography.Text>
                  </div>
                ) : null}
              </div>
            ),
          }))}
        />
      ) : null}
    </Space>
  );
}
