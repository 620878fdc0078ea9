// 中文 / English switch; the choice is remembered (see i18n).
import { Button, Dropdown } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useI18n, type Locale } from '../i18n';

export default function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { locale, setLocale, t } = useI18n();
  const label = locale === 'en' ? t('lang.en') : t('lang.zh');
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [locale],
        items: [
          { key: 'zh-CN', label: <span data-testid="lang-zh-CN">{t('lang.zh')}</span> },
          { key: 'en', label: <span data-testid="lang-en">{t('lang.en')}</span> },
        ],
        onClick: ({ key }) => setLocale(key as Locale),
      }}
    >
      <Button type="text" icon={<GlobalOutlined />} data-testid="lang-switch" aria-label={t('lang.switch')}>
        {compact ? null : label}
      </Button>
    </Dropdown>
  );
}
