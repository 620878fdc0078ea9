// Ownership buttons for the account detail header: 领取 (claim) when the account is in the
// pool, 释放到公海 (release) for its owner and for managers, 转移 (transfer to another user)
// for those with `accounts.transfer`. The server decides in the end (scope, limits); its
// refusal is shown as a message.
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { App as AntApp, Button, Form, Modal, Select, Space } from 'antd';
import { SwapOutlined, UserAddOutlined, UserDeleteOutlined } from '@ant-design/icons';
import { useAuth } from '../../../auth/AuthContext';
import { useI18n } from '../../../i18n';
import { describeError } from '../../../api/errors';
import type { Account, Permission, User } from '../../../api/types';
import { listUsers } from '../../admin/users/service';
import { getAccount } from '../service';
import { limitErrorKey } from '../../pool/limits';
import { claimAccount, releaseAccount, transferAccount } from './service';
import type { AccountOwnershipFields } from './types';

export const TRANSFER_PERMISSION = 'accounts.transfer' as Permission;

export interface OwnershipPermissions {
  claim: boolean;
  release: boolean;
  transfer: boolean;
}

/** Which ownership buttons a user sees for an account (the server checks scope and limits). */
export function ownershipPermissions(
  account: Pick<AccountOwnershipFields, 'owner_id'>,
  userId: number | undefined,
  can: (permission: Permission) => boolean,
): OwnershipPermissions {
  const inPool = account.owner_id === null || account.owner_id === undefined;
  const canTransfer = can(TRANSFER_PERMISSION);
  return {
    claim: inPool && can('accounts.write'),
    release: !inPool && (account.owner_id === userId || canTransfer),
    transfer: canTransfer,
  };
}

function TransferModal({ open, account, onClose, onDone }: { open: boolean; account: AccountOwnershipFields; onClose: () => void; onDone: (a: Account) => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ owner_id: number }>();
  const [users, setUsers] = useState<User[]>([]);
  const [saving, setSaving] = useState(false);
  const seq = useRef(0);

  const search = async (q: string) => {
    const mine = ++seq.current;
    try {
      const page = await listUsers({ q: q.trim() || undefined, limit: 50 });
      if (mine === seq.current) setUsers(page.items.filter((u) => u.active));
    } catch (e) {
      if (mine === seq.current) message.error(describeError(e, t));
    }
  };

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    void search('');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const submit = async () => {
    let values: { owner_id: number };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      const updated = await transferAccount(account.id, values.owner_id);
      message.success(t('pool.transferred', { name: updated.owner_name ?? '' }));
      onDone(updated);
    } catch (e) {
      const limit = limitErrorKey(e);
      message.error(limit === 'pool.limitOwned' ? t('pool.limitOwnedTarget') : describeError(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('pool.transferTitle', { name: account.name })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('pool.transfer')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      forceRender
      okButtonProps={{ 'data-testid': 'transfer-confirm' } as never}
    >
      <Form form={form} layout="vertical">
        <Form.Item name="owner_id" label={t('pool.newOwner')} rules={[{ required: true, message: t('common.required', { field: t('pool.newOwner') }) }]}>
          <Select
            showSearch
            filterOption={false}
            onSearch={(q) => void search(q)}
            data-testid="transfer-user"
            options={users
              .filter((u) => u.id !== account.owner_id)
              .map((u) => ({ value: u.id, label: u.department_name ? `${u.display_name} (${u.username}) · ${u.department_name}` : `${u.display_name} (${u.username})` }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export interface OwnershipActionsProps {
  account: AccountOwnershipFields;
  /** Called with the account as the server answered after a claim, release or transfer. */
  onChanged: (account: Account) => void;
}

export default function OwnershipActions({ account, onChanged }: OwnershipActionsProps) {
  const { t } = useI18n();
  const { user, can } = useAuth();
  const { message, modal } = AntApp.useApp();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [transferOpen, setTransferOpen] = useState(false);
  const allowed = ownershipPermissions(account, user?.id, can);

  const claim = async () => {
    setBusy(true);
    try {
      const updated = await claimAccount(account.id);
      message.success(t('pool.claimed', { name: account.name }));
      onChanged(updated);
    } catch (e) {
      const limit = limitErrorKey(e);
      message.error(limit ? t(limit) : describeError(e, t, { 409: 'pool.alreadyOwned' }));
    } finally {
      setBusy(false);
    }
  };

  const release = () => {
    modal.confirm({
      title: t('pool.releaseTitle'),
      content: t('pool.releaseConfirm', { name: account.name }),
      okText: t('pool.release'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'release-confirm' } as never,
      onOk: async () => {
        try {
          const updated = await releaseAccount(account.id);
          message.success(t('pool.released', { name: account.name }));
          // Outside their data scope once released (a specialist's own accounts only): go to the
          // pool, where it now is, instead of a "not found" page.
          const stillVisible = await getAccount(account.id).then(
            () => true,
            () => false,
          );
          if (stillVisible) onChanged(updated);
          else navigate('/pool', { replace: true });
        } catch (e) {
          message.error(describeError(e, t));
        }
      },
    });
  };

  if (!allowed.claim && !allowed.release && !allowed.transfer) return null;
  return (
    <Space wrap data-testid="ownership-actions">
      {allowed.claim ? (
        <Button type="primary" icon={<UserAddOutlined />} loading={busy} onClick={() => void claim()} data-testid="account-claim">
          {t('pool.claim')}
        </Button>
      ) : null}
      {allowed.release ? (
        <Button icon={<UserDeleteOutlined />} onClick={release} data-testid="account-release">
          {t('pool.release')}
        </Button>
      ) : null}
      {allowed.transfer ? (
        <Button icon={<SwapOutlined />} onClick={() => setTransferOpen(true)} data-testid="account-transfer">
          {t('pool.transfer')}
        </Button>
      ) : null}
      <TransferModal
        open={transferOpen}
        account={account}
        onClose={() => setTransferOpen(false)}
        onDone={(updated) => {
          setTransferOpen(false);
          onChanged(updated);
        }}
      />
    </Space>
  );
}
