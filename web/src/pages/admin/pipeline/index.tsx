// 开发流程设置 (admin, pipeline.admin): the gate checklist of each stage (阶段关卡), the lost-reason
// taxonomy (输单原因) and the stalled threshold of each stage (停滞天数), one tab each. Every tab
// edits a copy and saves it with one PUT that replaces the whole list; a 422 names the row.
import { Card, Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useI18n } from '../../../i18n';
import GatesTab from './GatesTab';
import LostReasonsTab from './LostReasonsTab';
import StalledDaysTab from './StalledDaysTab';

const TABS = ['gates', 'lost-reasons', 'stalled'] as const;

export default function PipelineSettingsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab = TABS.find((x) => x === requested) ?? 'gates';
  return (
    <Card>
      <div className="kam-page-header">
        <Typography.Title level={4}>{t('pipeline.admin.title')}</Typography.Title>
      </div>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'gates' ? {} : { tab: key }, { replace: true })}
        items={[
          { key: 'gates', label: <span data-testid="pipeline-admin-tab-gates">{t('pipeline.admin.gates')}</span>, children: <GatesTab /> },
          {
            key: 'lost-reasons',
            label: <span data-testid="pipeline-admin-tab-lost-reasons">{t('pipeline.admin.lostReasons')}</span>,
            children: <LostReasonsTab />,
          },
          {
            key: 'stalled',
            label: <span data-testid="pipeline-admin-tab-stalled">{t('pipeline.admin.stalled')}</span>,
            children: <StalledDaysTab />,
          },
        ]}
      />
    </Card>
  );
}
