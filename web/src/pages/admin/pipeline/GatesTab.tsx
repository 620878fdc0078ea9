// 阶段关卡: the checklist items of each stage. An admin switches items on and off, relabels them,
// changes their numbers (minimum count, relationship level, touchpoints), reorders them within the
// stage, adds items and removes them. Nothing reaches the server until 保存, which replaces the
// whole list (PUT /pipeline/gates); a 422 error on `items[i]` shows under that row.
import { useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Input,
  InputNumber,
  Popconfirm,
  Row,
  Space,
  Spin,
  Switch,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../../i18n';
import { STAGES, type GateItem } from '../../pipeline/types';
import {
  countLabel,
  fieldLabel,
  gateDrafts,
  gateProblems,
  gatesBody,
  gatesFingerprint,
  moveGate,
  setParam,
  stageItems,
  updateRow,
  type GateDraft,
} from './config';
import { MoveButtons, RowProblems, SaveBar } from './parts';
import AddGateModal from './AddGateModal';
import { getGates, putGates } from './service';
import { useDraftList, type DraftListSpec } from './useDraftList';

/** What the item checks, with its numbers editable. */
function Condition({ draft, onParam }: { draft: GateDraft; onParam: (name: string, value: number | null) => void }) {
  const { t } = useI18n();
  const p = draft.params;
  const number = (name: string, min: number, max: number, fallback: number) => (
    <InputNumber
      size="small"
      min={min}
      max={max}
      precision={0}
      value={typeof p[name] === 'number' ? (p[name] as number) : fallback}
      onChange={(v) => onParam(name, typeof v === 'number' ? v : null)}
      style={{ width: 72 }}
      aria-label={t(`pipeline.admin.param.${name}` as MessageKey)}
      data-testid={`gate-param-${name}`}
    />
  );
  switch (draft.kind) {
    case 'field':
      return <Typography.Text>{t('pipeline.admin.cond.field', { field: fieldLabel(t, p.field) })}</Typography.Text>;
    case 'equals':
      return (
        <Typography.Text>
          {t('pipeline.admin.cond.equals', { field: fieldLabel(t, p.field), value: String(p.value ?? '') })}
        </Typography.Text>
      );
    case 'count':
      return (
        <Space size={6} wrap>
          <Typography.Text>{t('pipeline.admin.cond.count', { count: countLabel(t, p.count) })}</Typography.Text>
          {number('min', 0, 1000, 1)}
        </Space>
      );
    case 'decision_makers_level':
      return (
        <Space size={6} wrap>
          <Typography.Text>{t('pipeline.admin.cond.level')}</Typography.Text>
          {number('min_level', 1, 5, 3)}
        </Space>
      );
    case 'decision_makers_touched':
      return (
        <Space size={6} wrap>
          <Typography.Text>{t('pipeline.admin.cond.touched')}</Typography.Text>
          {number('min', 0, 1000, 1)}
        </Space>
      );
    default:
      return <Typography.Text type="secondary">{String(draft.kind)}</Typography.Text>;
  }
}

function GateRow({
  draft,
  first,
  last,
  problem,
  server,
  onChange,
  onParam,
  onMove,
  onRemove,
}: {
  draft: GateDraft;
  first: boolean;
  last: boolean;
  problem?: Parameters<typeof RowProblems>[0]['problem'];
  server?: string[];
  onChange: (change: Partial<GateDraft>) => void;
  onParam: (name: string, value: number | null) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { t, locale } = useI18n();
  const label = locale === 'en' ? draft.label_en : draft.label_zh;
  const remove = (
    <Tooltip title={t('common.delete')}>
      <Button
        size="small"
        type="text"
        danger
        icon={<DeleteOutlined />}
        aria-label={`${t('common.delete')} ${label}`}
        onClick={draft.added ? onRemove : undefined}
        data-testid="gate-remove"
      />
    </Tooltip>
  );
  const bad = Boolean(problem || server?.length);
  return (
    <div
      className={`kam-config-row${draft.enabled ? '' : ' is-disabled'}${bad ? ' has-error' : ''}`}
      data-testid={`gate-item-${draft.code}`}
      data-enabled={draft.enabled ? 'yes' : 'no'}
    >
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8, marginBottom: 8 }}>
        <MoveButtons first={first} last={last} onMove={onMove} label={label} />
        <Switch
          size="small"
          checked={draft.enabled}
          onChange={(enabled) => onChange({ enabled })}
          checkedChildren={t('pipeline.admin.on')}
          unCheckedChildren={t('pipeline.admin.off')}
          aria-label={`${t('pipeline.admin.enabled')} ${label}`}
          data-testid="gate-enabled"
        />
        <Typography.Text code style={{ fontSize: 12 }}>
          {draft.code}
        </Typography.Text>
        {draft.added ? <Tag color="blue">{t('pipeline.admin.new')}</Tag> : null}
        <div className="kam-gate-condition">
          <Condition draft={draft} onParam={onParam} />
        </div>
        {draft.added ? (
          remove
        ) : (
          <Popconfirm
            title={t('pipeline.admin.removeGateConfirm')}
            onConfirm={onRemove}
            okText={t('common.delete')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true, 'data-testid': 'gate-remove-ok' } as never}
          >
            {remove}
          </Popconfirm>
        )}
      </div>
      <Row gutter={[8, 8]}>
        <Col xs={24} md={12}>
          <Input
            value={draft.label_zh}
            maxLength={200}
            onChange={(e) => onChange({ label_zh: e.target.value })}
            addonBefore={t('pipeline.admin.zh')}
            status={!draft.label_zh.trim() ? 'error' : undefined}
            aria-label={t('pipeline.admin.labelZh')}
            data-testid="gate-label-zh"
          />
        </Col>
        <Col xs={24} md={12}>
          <Input
            value={draft.label_en}
            maxLength={200}
            onChange={(e) => onChange({ label_en: e.target.value })}
            addonBefore="EN"
            status={!draft.label_en.trim() ? 'error' : undefined}
            aria-label={t('pipeline.admin.labelEn')}
            data-testid="gate-label-en"
          />
        </Col>
      </Row>
      <RowProblems problem={problem} server={server} />
    </div>
  );
}

const GATES: DraftListSpec<GateDraft, { items: GateItem[] }> = {
  fetch: async () => gateDrafts((await getGates()).items),
  fingerprint: gatesFingerprint,
  problemsOf: gateProblems,
  toBody: gatesBody,
  put: putGates,
};

export default function GatesTab() {
  const { t } = useI18n();
  const { drafts, loadError, saveError, serverRows, saving, dirty, load, edit, append, shownProblem, save } = useDraftList(GATES);
  const [adding, setAdding] = useState<number | null>(null);

  if (loadError)
    return <Alert type="error" showIcon message={loadError} action={<Button onClick={() => void load()}>{t('common.reload')}</Button>} />;
  if (!drafts) return <Spin />;

  const enabledCount = drafts.filter((d) => d.enabled).length;
  return (
    <div data-testid="gates-tab">
      <Typography.Paragraph type="secondary">{t('pipeline.admin.gatesHelp')}</Typography.Paragraph>
      {saveError ? <Alert type="error" showIcon message={saveError} style={{ marginBottom: 16 }} data-testid="gates-error" /> : null}
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {STAGES.map((stage) => {
          const items = stageItems(drafts, stage);
          return (
            <Card
              key={stage}
              size="small"
              data-testid={`gate-stage-${stage}`}
              title={
                <Space wrap size={8}>
                  <span>
                    {stage} · {t(`pipeline.stage.${stage}` as MessageKey)}
                  </span>
                  <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
                    {t('pipeline.admin.enabledOf', { enabled: items.filter((d) => d.enabled).length, total: items.length })}
                  </Typography.Text>
                </Space>
              }
              extra={
                <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(stage)} data-testid={`gate-add-${stage}`}>
                  {t('pipeline.admin.addGate')}
                </Button>
              }
            >
              {items.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pipeline.admin.noGates')} />
              ) : (
                items.map((d, index) => (
                  <GateRow
                    key={d.key}
                    draft={d}
                    first={index === 0}
                    last={index === items.length - 1}
                    problem={shownProblem(d.key)}
                    server={serverRows.get(d.key)}
                    onChange={(change) => edit(d.key, (list) => updateRow(list, d.key, change))}
                    onParam={(name, value) => edit(d.key, (list) => setParam(list, d.key, name, value))}
                    onMove={(delta) => edit(d.key, (list) => moveGate(list, d.key, delta))}
                    onRemove={() => edit(d.key, (list) => list.filter((x) => x.key !== d.key))}
                  />
                ))
              )}
            </Card>
          );
        })}
      </Space>
      <SaveBar
        testid="gates"
        dirty={dirty}
        saving={saving}
        onSave={() => void save()}
        onDiscard={() => void load()}
        extra={
          <Typography.Text type="secondary">
            {t('pipeline.admin.enabledOf', { enabled: enabledCount, total: drafts.length })}
          </Typography.Text>
        }
      />
      <AddGateModal
        stage={adding}
        drafts={drafts}
        onCancel={() => setAdding(null)}
        onAdd={(draft) => {
          append(draft);
          setAdding(null);
        }}
      />
    </div>
  );
}
