// 输单原因: the reasons a salesperson picks when an opportunity is lost. An admin adds, relabels,
// switches off and reorders them. A saved reason is never deleted (lost opportunities keep its
// code): it is switched off instead; a reason added here can be taken out again before saving.
import { Alert, Button, Input, Spin, Switch, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../../i18n';
import {
  MAX_CODE_LENGTH,
  MAX_LOST_REASONS,
  moveRow,
  newKey,
  reasonDrafts,
  reasonProblems,
  reasonsBody,
  reasonsFingerprint,
  updateRow,
  type ReasonDraft,
} from './config';
import { MoveButtons, RowProblems, SaveBar } from './parts';
import { getLostReasons, putLostReasons } from './service';
import { useDraftList, type DraftListSpec } from './useDraftList';
import type { LostReason } from '../../pipeline/types';

const REASONS: DraftListSpec<ReasonDraft, { items: LostReason[] }> = {
  fetch: async () => reasonDrafts((await getLostReasons()).items),
  fingerprint: reasonsFingerprint,
  problemsOf: reasonProblems,
  toBody: reasonsBody,
  put: putLostReasons,
  refuse: (drafts) => (drafts.some((r) => r.enabled) ? null : 'pipeline.admin.oneReasonOn'),
};

export default function LostReasonsTab() {
  const { t, locale } = useI18n();
  const { drafts, loadError, saveError, serverRows, saving, dirty, load, edit, append, shownProblem, save } = useDraftList(REASONS);

  const add = () => {
    append({ key: newKey('reason'), code: '', label_zh: '', label_en: '', enabled: true, added: true });
  };

  if (loadError)
    return <Alert type="error" showIcon message={loadError} action={<Button onClick={() => void load()}>{t('common.reload')}</Button>} />;
  if (!drafts) return <Spin />;

  return (
    <div data-testid="lost-reasons-tab">
      <Typography.Paragraph type="secondary">{t('pipeline.admin.lostReasonsHelp')}</Typography.Paragraph>
      {saveError ? <Alert type="error" showIcon message={saveError} style={{ marginBottom: 16 }} data-testid="reasons-error" /> : null}
      {drafts.map((r, index) => {
        const label = (locale === 'en' ? r.label_en : r.label_zh) || r.code;
        const problem = shownProblem(r.key);
        const server = serverRows.get(r.key);
        return (
          <div
            key={r.key}
            className={`kam-config-row${r.enabled ? '' : ' is-disabled'}${problem || server?.length ? ' has-error' : ''}`}
            data-testid={`reason-${r.added ? r.key : r.code}`}
            data-enabled={r.enabled ? 'yes' : 'no'}
          >
            <div className="kam-reason-line">
              <div className="kam-reason-head">
                <MoveButtons
                  first={index === 0}
                  last={index === drafts.length - 1}
                  onMove={(delta) => edit(r.key, (list) => moveRow(list, r.key, delta))}
                  label={label}
                />
                <Switch
                  size="small"
                  checked={r.enabled}
                  onChange={(enabled) => edit(r.key, (list) => updateRow(list, r.key, { enabled }))}
                  checkedChildren={t('pipeline.admin.on')}
                  unCheckedChildren={t('pipeline.admin.off')}
                  aria-label={`${t('pipeline.admin.enabled')} ${label}`}
                  data-testid="reason-enabled"
                />
                {r.added ? (
                  <Tag color="blue" style={{ marginInlineEnd: 0 }}>
                    {t('pipeline.admin.new')}
                  </Tag>
                ) : (
                  <Typography.Text code ellipsis={{ tooltip: r.code }} style={{ fontSize: 12, maxWidth: 140 }}>
                    {r.code}
                  </Typography.Text>
                )}
              </div>
              {r.added ? (
                <div className="kam-reason-code">
                  <Input
                    value={r.code}
                    maxLength={MAX_CODE_LENGTH}
                    onChange={(e) => edit(r.key, (list) => updateRow(list, r.key, { code: e.target.value }))}
                    addonBefore={t('pipeline.admin.code')}
                    aria-label={t('pipeline.admin.code')}
                    data-testid="reason-code"
                  />
                </div>
              ) : null}
              <div className="kam-reason-label">
                <Input
                  value={r.label_zh}
                  maxLength={200}
                  onChange={(e) => edit(r.key, (list) => updateRow(list, r.key, { label_zh: e.target.value }))}
                  addonBefore={t('pipeline.admin.zh')}
                  aria-label={t('pipeline.admin.labelZh')}
                  data-testid="reason-label-zh"
                />
              </div>
              <div className="kam-reason-label">
                <Input
                  value={r.label_en}
                  maxLength={200}
                  onChange={(e) => edit(r.key, (list) => updateRow(list, r.key, { label_en: e.target.value }))}
                  addonBefore="EN"
                  aria-label={t('pipeline.admin.labelEn')}
                  data-testid="reason-label-en"
                />
              </div>
              {r.added ? (
                <Tooltip title={t('common.delete')}>
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('common.delete')}
                    onClick={() => edit(r.key, (list) => list.filter((x) => x.key !== r.key))}
                    data-testid="reason-remove"
                  />
                </Tooltip>
              ) : null}
            </div>
            <RowProblems problem={problem} server={server} />
          </div>
        );
      })}
      <Button
        type="dashed"
        icon={<PlusOutlined />}
        block
        style={{ marginTop: 12 }}
        disabled={drafts.length >= MAX_LOST_REASONS}
        onClick={add}
        data-testid="reason-add"
      >
        {t('pipeline.admin.addReason')}
      </Button>
      <SaveBar testid="reasons" dirty={dirty} saving={saving} onSave={() => void save()} onDiscard={() => void load()} />
    </div>
  );
}
