// 403 and 404 pages shown inside the layout.
import { Button, Result } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useI18n } from '../../i18n';

export function Forbidden() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <div data-testid="page-403">
      <Result
        status="403"
        title={t('error.forbidden.title')}
        subTitle={t('error.forbidden')}
        extra={
          <Button type="primary" onClick={() => navigate('/')}>
            {t('error.backHome')}
          </Button>
        }
      />
    </div>
  );
}

export function NotFound() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t('error.notFound.title')}
      subTitle={t('error.notFound')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('error.backHome')}
        </Button>
      }
    />
  );
}
