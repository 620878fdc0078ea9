// 开发成本 on the account page: approved gift and reception spend (the account's cost of
// development), per opportunity, its budgets with what is left, and buttons to file requests.
import { useEffect, useState } from 'react';
import { Button, Card, Col, Empty, Progress, Row, Space, Statistic, Table, Typography } from 'antd';
import { GiftOutlined, TeamOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import { describeError } from '../../api/errors';
import { formatYuan } from '../accounts/money';
import { kindKey } from './index';
import { getDevelopmentCost } from './service';
import type { DevelopmentCost } from './types';

export default function DevelopmentCostCard({ accountId }: { accountId: number }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [cost, setCost] = useState<DevelopmentCost | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!can('requests.read')) return;
    getDevelopmentCost(accountId)
      .then(setCost)
      .catch((e) => setError(describeError(e, t)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [accountId]);
  if (!can('requests.read')) return null;
  return (
    <Card
      title={t('approvals.cost')}
      data-testid="account-development-cost"
      extra={
        can('requests.write') ? (
          <Space wrap>
            <Button size="small" icon={<GiftOutlined />} onClick={() => navigate(`/approvals/gift/new?account_id=${accountId}`)} data-testid="account-new-gift">
              {t('approvals.newGift')}
            </Button>
            <Button size="small" icon={<TeamOutlined />} onClick={() => navigate(`/approvals/reception/new?account_id=${accountId}`)}>
              {t('approvals.newReception')}
            </Button>
          </Space>
        ) : null
      }
    >
      {error ? <Typography.Text type="danger">{error}</Typography.Text> : null}
      {cost ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Row gutter={16}>
            <Col xs={12} md={6}>
              <Statistic title={t('approvals.costTotal')} prefix="¥" value={formatYuan(cost.total_fen)} data-testid="cost-total" />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('approvals.kind.gift')} prefix="¥" value={formatYuan(cost.gift_fen)} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('approvals.kind.reception')} prefix="¥" value={formatYuan(cost.reception_fen)} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('approvals.approvedCount')} value={cost.approved_count} />
            </Col>
          </Row>
          {cost.by_opportunity.length ? (
            <Table
              size="small"
              rowKey="opportunity_id"
              pagination={false}
              dataSource={cost.by_opportunity}
              columns={[
                { title: t('approvals.opportunity'), dataIndex: 'opportunity_id', render: (v: number) => `#${v}` },
                { title: t('approvals.kind.gift'), dataIndex: 'gift_fen', align: 'right', render: (v: number) => `¥${formatYuan(v)}` },
                { title: t('approvals.kind.reception'), dataIndex: 'reception_fen', align: 'right', render: (v: number) => `¥${formatYuan(v)}` },
                { title: t('approvals.total'), dataIndex: 'total_fen', align: 'right', render: (v: number) => `¥${formatYuan(v)}` },
              ]}
            />
          ) : null}
          <Typography.Text strong>{t('approvals.budgets')}</Typography.Text>
          {cost.budgets.length ? (
            cost.budgets.map((b) => (
              <div key={b.id}>
                <Typography.Text>
                  {b.period} · {t(kindKey(b.kind))} · ¥{formatYuan(b.committed_fen)} / ¥{formatYuan(b.amount_fen)}
                </Typography.Text>
                <Progress
                  percent={b.amount_fen > 0 ? Math.min(100, Math.round((b.committed_fen * 100) / b.amount_fen)) : 100}
                  status={b.remaining_fen < 0 ? 'exception' : undefined}
                  size="small"
                />
              </div>
            ))
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('approvals.noBudget')} />
          )}
        </Space>
      ) : null}
    </Card>
  );
}
