// Top-level routing: /login outside the layout; every route of the route table inside the
// layout behind the login check and its own access check.
import { Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Button, Result, Spin } from 'antd';
import { flattenRoutes, hasAccess, routes, type RouteConfig } from './routes';
import { useAuth } from './auth/AuthContext';
import { useI18n } from './i18n';
import { describeError } from './api/errors';
import BasicLayout from './layouts/BasicLayout';
import LoginPage from './pages/login';
import { Forbidden, NotFound } from './pages/exception';

function PageLoading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin />
    </div>
  );
}

function RequireAuth({ children }: { children: React.ReactNode }) {
  const { status, loadError, refresh } = useAuth();
  const { t } = useI18n();
  const location = useLocation();
  if (status === 'loading') return <PageLoading />;
  if (status === 'anonymous') {
    if (loadError) {
      return (
        <Result
          status="warning"
          title={describeError(loadError, t)}
          extra={<Button onClick={() => void refresh()}>{t('common.reload')}</Button>}
        />
      );
    }
    const redirect = location.pathname + location.search;
    return <Navigate to={redirect === '/' ? '/login' : `/login?redirect=${encodeURIComponent(redirect)}`} replace />;
  }
  return <>{children}</>;
}

function Guarded({ route }: { route: RouteConfig }) {
  const { permissions } = useAuth();
  if (!hasAccess(route, permissions)) return <Forbidden />;
  const Page = route.component!;
  return (
    <Suspense fallback={<PageLoading />}>
      <Page />
    </Suspense>
  );
}

export default function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <BasicLayout />
          </RequireAuth>
        }
      >
        {flattenRoutes(routes).map((route) => (
          <Route key={route.path} path={route.path} element={<Guarded route={route} />} />
        ))}
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
