// Home: a welcome, who I am, and a few counts I am allowed to see.
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Col, Descriptions, Row, Statistic, Tag, Typography } from 'antd';
import { ApartmentOutlined, ShopOutlined, UserOutlined } from '@ant-design/icons';
import { useAuth } from '../../auth/AuthContext';
import { useI18n, type MessageKey } from '../../i18n';
import { listAccounts } from '../accounts/service';
import { listRoles, listUsers } from '../admin/users/service';
import type { Role } from '../../api/types';
import { listDepartments } from '../admin/departments/service';

type Counts = { accounts?: number; users?: number; departments?: number };

export default function Dashboard() {
  const { user, can } = useAuth();
  const { t, locale } = useI18n();
  const [counts, setCounts] = useState<Counts>({});
  const [loading, setLoading] = useState(true);
  const [roles, setRoles] = useState<Role[]>([]);
  const canAccounts = can('accounts.read');
  const canUsers = can('users.admin');

  useEffect(() => {
    let alive = true;
    const jobs: Promise<void>[] = [];
    jobs.push(
      listRoles().then((p) => {
        if (alive) setRoles(p.items);
      }),
    );
    const put = (patch: Counts): void => {
      if (alive) setCounts((c) => ({ ...c, ...patch }));
    };
    if (canAccounts) jobs.push(listAccounts({ limit: 1 }).then((p) => put({ accounts: p.total })));
    if (canUsers) {
      jobs.push(listUsers({ limit: 1 }).then((p) => put({ users: p.total })));
      jobs.push(listDepartments().then((p) => put({ departments: p.total })));
    }
    void Promise.allSettled(jobs).then(() => {
      if (alive) setLoading(false);
    });
    return () => {
      alive = false;
    };
  }, [canAccounts, canUsers]);

  if (!user) return null;
  const scopeKey = `scope.${user.data_scope}` as MessageKey;
  return (
    <div>
      <Card style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="welcome">
          {t('dashboard.welcome', { name: user.display_name || user.username })}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('dashboard.intro')}</Typography.Paragraph>
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }}>
          <Descriptions.Item label={t('dashboard.department')}>{user.department_name || '-'}</Descriptions.Item>
          <Descriptions.Item label={t('dashboard.scope')}>{user.data_scope ? t(scopeKey) : '-'}</Descriptions.Item>
          <Descriptions.Item label={t('dashboard.roles')}>
            {(user.roles ?? []).map((code) => {
              const role = roles.find((r) => r.code === code);
              return <Tag key={code}>{role ? (locale === 'en' ? role.name_en || role.name : role.name) : code}</Tag>;
            })}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Row gutter={[16, 16]}>
        {canAccounts ? (
          <Col xs={24} sm={12} lg={8}>
            <Card loading={loading && counts.accounts === undefined}>
              <Link to="/accounts">
                <Statistic
                  title={t('dashboard.accounts')}
                  value={counts.accounts ?? '-'}
                  prefix={<ShopOutlined />}
                  valueStyle={{ color: '#1677ff' }}
                />
              </Link>
            </Card>
          </Col>
        ) : null}
        {canUsers ? (
          <>
            <Col xs={24} sm={12} lg={8}>
              <Card loading={loading && counts.users === undefined}>
                <Link to="/admin/users">
                  <Statistic title={t('dashboard.users')} value={counts.users ?? '-'} prefix={<UserOutlined />} />
                </Link>
              </Card>
            </Col>
            <Col xs={24} sm={12} lg={8}>
              <Card loading={loading && counts.departments === undefined}>
                <Link to="/admin/departments">
                  <Statistic title={t('dashboard.departments')} value={counts.departments ?? '-'} prefix={<ApartmentOutlined />} />
                </Link>
              </Card>
            </Col>
          </>
        ) : null}
      </Row>
    </div>
  );
}
