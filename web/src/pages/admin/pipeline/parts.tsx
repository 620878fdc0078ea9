// Pieces shared by the tabs of the pipeline settings page: the save bar that stays in view at the
// bottom, the up / down buttons of a row, and a row's problems (ours, or the server's 422).
import type { ReactNode } from 'react';
import { Button, Space, Tag, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, RollbackOutlined, SaveOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../../i18n';
import { serverProblem, type Problem } from './config';

export function SaveBar({
  dirty,
  saving,
  onSave,
  onDiscard,
  testid,
  extra,
}: {
  dirty: boolean;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
  testid: string;
  extra?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="kam-save-bar" data-testid={`${testid}-bar`}>
      <Space wrap>
        {extra}
        {dirty ? (
          <Tag color="orange" data-testid={`${testid}-dirty`}>
            {t('pipeline.admin.unsaved')}
          </Tag>
        ) : null}
      </Space>
      <Space wrap>
        <Button icon={<RollbackOutlined />} disabled={!dirty || saving} onClick={onDiscard} data-testid={`${testid}-discard`}>
          {t('pipeline.admin.discard')}
        </Button>
        <Button type="primary" icon={<SaveOutlined />} disabled={!dirty} loading={saving} onClick={onSave} data-testid={`${testid}-save`}>
          {t('common.save')}
        </Button>
      </Space>
    </div>
  );
}

export function MoveButtons({
  first,
  last,
  onMove,
  label,
}: {
  first: boolean;
  last: boolean;
  onMove: (delta: -1 | 1) => void;
  label: string;
}) {
  const { t } = useI18n();
  return (
    <Space.Compact>
      <Tooltip title={t('pipeline.admin.moveUp')}>
        <Button
          size="small"
          icon={<ArrowUpOutlined />}
          disabled={first}
          onClick={() => onMove(-1)}
          aria-label={`${t('pipeline.admin.moveUp')} ${label}`}
          data-testid="move-up"
        />
      </Tooltip>
      <Tooltip title={t('pipeline.admin.moveDown')}>
        <Button
          size="small"
          icon={<ArrowDownOutlined />}
          disabled={last}
          onClick={() => onMove(1)}
          aria-label={`${t('pipeline.admin.moveDown')} ${label}`}
          data-testid="move-down"
        />
      </Tooltip>
    </Space.Compact>
  );
}

/** A problem found here, then what the server said about the row (translated when known). */
export function RowProblems({ problem, server }: { problem?: Problem | null; server?: string[] }) {
  const { t } = useI18n();
  const lines: string[] = [];
  if (problem) lines.push(t(`pipeline.admin.problem.${problem}` as MessageKey));
  for (const message of server ?? []) {
    const known = serverProblem(message);
    lines.push(known ? t(`pipeline.admin.problem.${known}` as MessageKey) : message);
  }
  if (lines.length === 0) return null;
  return (
    <div role="alert" data-testid="row-error" style={{ marginTop: 6 }}>
      {lines.map((line, i) => (
        <Typography.Text type="danger" key={i} style={{ display: 'block', fontSize: 13 }}>
          {line}
        </Typography.Text>
      ))}
    </div>
  );
}
