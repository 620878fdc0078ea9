// Saved views of the account list (GET/POST/PATCH/DELETE /saved-views, per user): pick a view to
// open its search, filters and sort; save the current ones under a name (the same name replaces
// that view); delete the view the list shows. A view is "selected" while the list shows exactly
// what it stores, so changing a filter by hand simply leaves the view.
import { useEffect, useState } from 'react';
import { App as AntApp, Button, Form, Input, Modal, Select, Space, Tooltip } from 'antd';
import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n';
import { describeError } from '../../api/errors';
import { fromViewQuery, matchesView, toViewQuery, type ListState } from './listState';
import { createSavedView, deleteSavedView, listSavedViews, updateSavedView, type SavedView } from './service';

export interface SavedViewsProps {
  state: ListState;
  onOpen: (state: ListState) => void;
}

export default function SavedViews({ state, onOpen }: SavedViewsProps) {
  const { t } = useI18n();
  const { message, modal } = AntApp.useApp();
  const [views, setViews] = useState<SavedView[]>([]);
  const [loading, setLoading] = useState(false);
  const [saving, setSaving] = useState(false);
  const [open, setOpen] = useState(false);
  const [initialName, setInitialName] = useState('');
  const [form] = Form.useForm<{ name: string }>();
  const name = Form.useWatch('name', form) ?? '';

  const reload = async () => {
    setLoading(true);
    try {
      const page = await listSavedViews();
      setViews([...page.items].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')));
    } catch (error) {
      message.error(describeError(error, t));
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const current = views.find((v) => matchesView(state, v.query));
  const sameName = views.find((v) => v.name === name.trim());

  const save = async () => {
    const { name: raw } = await form.validateFields();
    const viewName = raw.trim();
    setSaving(true);
    try {
      const query = toViewQuery(state);
      const existing = views.find((v) => v.name === viewName);
      if (existing) await updateSavedView(existing, { query });
      else await createSavedView(viewName, query);
      message.success(t('view.saved'));
      setOpen(false);
      await reload();
    } catch (error) {
      message.error(describeError(error, t));
    } finally {
      setSaving(false);
    }
  };

  const remove = (view: SavedView) => {
    modal.confirm({
      title: t('view.deleteConfirm', { name: view.name }),
      okText: t('common.delete'),
      okButtonProps: { danger: true, 'data-testid': 'confirm-delete-view' } as never,
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await deleteSavedView(view.id);
          message.success(t('view.deleted'));
          await reload();
        } catch (error) {
          message.error(describeError(error, t));
        }
      },
    });
  };

  return (
    <Space.Compact style={{ flex: '1 1 220px', maxWidth: 360, minWidth: 0 }}>
      <Select
        style={{ flex: 1, minWidth: 0 }}
        loading={loading}
        placeholder={t('view.placeholder')}
        value={current?.id}
        notFoundContent={t('view.none')}
        options={views.map((v) => ({ value: v.id, label: v.name }))}
        onChange={(id: number) => {
          const view = views.find((v) => v.id === id);
          if (view) onOpen(fromViewQuery(view.query, state.size));
        }}
        aria-label={t('view.label')}
        data-testid="saved-views"
      />
      <Tooltip title={t('view.save')}>
        <Button
          icon={<SaveOutlined />}
          aria-label={t('view.save')}
          onClick={() => {
            setInitialName(current?.name ?? '');
            setOpen(true);
          }}
          data-testid="view-save"
        />
      </Tooltip>
      <Tooltip title={t('view.delete')}>
        <Button icon={<DeleteOutlined />} aria-label={t('view.delete')} disabled={!current} onClick={() => current && remove(current)} data-testid="view-delete" />
      </Tooltip>
      <Modal
        open={open}
        title={t('view.saveTitle')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={() => void save().catch(() => undefined)}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'view-save-ok' } as never}
      >
        <Form form={form} layout="vertical" initialValues={{ name: initialName }} onFinish={() => void save().catch(() => undefined)} preserve={false}>
          <Form.Item
            name="name"
            label={t('view.name')}
            rules={[{ required: true, whitespace: true, message: t('view.nameRequired') }]}
            extra={sameName ? t('view.overwrite') : undefined}
          >
            <Input maxLength={100} autoFocus data-testid="view-name" />
          </Form.Item>
        </Form>
      </Modal>
    </Space.Compact>
  );
}
