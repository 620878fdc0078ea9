// The frame around every logged-in page: side menu built from the route table (hidden entries
// the user has no access to), header with language switch, user name and logout.
// At phone width (< 768 px) the side menu becomes a drawer opened from the header.
import { useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { App as AntApp, Avatar, Button, Drawer, Layout, Menu, Space, Typography, theme } from 'antd';
import type { MenuProps } from 'antd';
import { LogoutOutlined, MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { buildMenu, menuSelection, routes, type MenuEntry } from '../routes';
import { useAuth } from '../auth/AuthContext';
import { useI18n } from '../i18n';
import LanguageSwitch from '../components/LanguageSwitch';
import { PHONE_QUERY, useMediaQuery } from '../utils/useMediaQuery';

const { Header, Sider, Content } = Layout;

function toMenuItems(entries: MenuEntry[]): MenuProps['items'] {
  return entries.map((entry) => ({
    key: entry.key,
    icon: entry.icon,
    label: <span data-testid={`menu-${entry.key}`}>{entry.label}</span>,
    children: entry.children ? toMenuItems(entry.children) : undefined,
  }));
}

function Logo({ collapsed }: { collapsed: boolean }) {
  const { t } = useI18n();
  return (
    <div
      style={{
        height: 64,
        display: 'flex',
        alignItems: 'center',
        justifyContent: collapsed ? 'center' : 'flex-start',
        padding: collapsed ? 0 : '0 20px',
        color: '#fff',
        fontWeight: 600,
        fontSize: 16,
        whiteSpace: 'nowrap',
        overflow: 'hidden',
      }}
    >
      <img src="/favicon.svg" alt="" width={28} height={28} style={{ marginRight: collapsed ? 0 : 10 }} />
      {collapsed ? null : t('app.title')}
    </div>
  );
}

export default function BasicLayout() {
  const { user, permissions, logout } = useAuth();
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const isPhone = useMediaQuery(PHONE_QUERY);
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const { token } = theme.useToken();

  const menuEntries = useMemo(() => buildMenu(routes, permissions, t), [permissions, t]);
  const selection = useMemo(() => menuSelection(routes, location.pathname), [location.pathname]);
  const [openKeys, setOpenKeys] = useState<string[]>(selection.open);

  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      items={toMenuItems(menuEntries)}
      selectedKeys={selection.selected}
      openKeys={collapsed && !isPhone ? undefined : [...new Set([...openKeys, ...selection.open])]}
      onOpenChange={(keys) => setOpenKeys(keys as string[])}
      onClick={({ key }) => {
        setDrawerOpen(false);
        navigate(String(key));
      }}
      data-testid="side-menu"
    />
  );

  const onLogout = async () => {
    try {
      await logout();
    } finally {
      message.success(t('header.loggedOut'));
      navigate('/login', { replace: true });
    }
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {isPhone ? (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          width={240}
          closable={false}
          styles={{ body: { padding: 0, background: '#001529' } }}
        >
          <Logo collapsed={false} />
          {menu}
        </Drawer>
      ) : (
        <Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} trigger={null} width={220}>
          <Logo collapsed={collapsed} />
          {menu}
        </Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Header
          style={{
            background: token.colorBgContainer,
            padding: isPhone ? '0 8px' : '0 16px',
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            boxShadow: '0 1px 4px rgba(0,21,41,.08)',
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          {isPhone ? (
            <>
              <Button
                type="text"
                icon={<MenuOutlined />}
                onClick={() => setDrawerOpen(true)}
                aria-label={t('menu.open')}
                data-testid="menu-toggle"
              />
              <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>
                {t('app.shortTitle')}
              </Typography.Text>
            </>
          ) : (
            <Button
              type="text"
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={() => setCollapsed(!collapsed)}
              aria-label={t('menu.open')}
            />
          )}
          <div style={{ flex: 1 }} />
          <Space size={isPhone ? 0 : 'small'}>
            <LanguageSwitch compact={isPhone} />
            <div
              data-testid="current-user"
              title={user?.username}
              style={{ display: 'flex', alignItems: 'center', gap: 6, lineHeight: 'normal', maxWidth: isPhone ? 110 : 220, minWidth: 0 }}
            >
              <Avatar size="small" icon={<UserOutlined />} style={{ backgroundColor: token.colorPrimary, flex: 'none' }} />
              <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                {user?.display_name || user?.username}
              </span>
            </div>
            <Button
              type="text"
              icon={<LogoutOutlined />}
              onClick={() => void onLogout()}
              data-testid="logout"
              aria-label={t('header.logout')}
            >
              {isPhone ? null : t('header.logout')}
            </Button>
          </Space>
        </Header>
        <Content style={{ margin: isPhone ? 8 : 24, minWidth: 0 }}>
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
