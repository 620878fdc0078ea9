// The import wizard (/imports): choose what to import (accounts or contacts), what to do with
// a record that exists already, and a CSV or XLSX file → a dry run shows the rows and every row
// error in a table → apply (all or nothing) → the counts. The server repeats every check on
// apply, so a file that changed meanwhile is refused with its errors, nothing written.
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, App as AntApp, Button, Card, Col, Form, Radio, Result, Row, Select, Space, Statistic, Steps, Table, Typography, Upload } from 'antd';
import type { TableProps } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n';
import { describeError, localizeServerMessage } from '../../api/errors';
import {
  IMPORT_KINDS,
  ON_DUPLICATE,
  fileProblem,
  formatBytes,
  runImport,
  templateCsv,
  type ImportKind,
  type ImportResult,
  type ImportRowError,
  type OnDuplicate,
} from './service';

type Step = 0 | 1 | 2;

function saveText(text: string, name: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Counts({ result, applied }: { result: ImportResult; applied: boolean }) {
  const { t } = useI18n();
  const items: { key: MessageKey; value: number; testId: string }[] = applied
    ? [
        { key: 'import.rows', value: result.rows, testId: 'import-rows' },
        { key: 'import.created', value: result.created, testId: 'import-created' },
        { key: 'import.updated', value: result.updated, testId: 'import-updated' },
        { key: 'import.skipped', value: result.skipped, testId: 'import-skipped' },
      ]
    : [
        { key: 'import.rows', value: result.rows, testId: 'import-rows' },
        { key: 'import.valid', value: result.valid, testId: 'import-valid' },
        { key: 'import.errorCount', value: result.errors.length, testId: 'import-errors-count' },
      ];
  return (
    <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
      {items.map((item) => (
        <Col key={item.key} xs={12} sm={6}>
          <Statistic
            title={t(item.key)}
            value={item.value}
            valueStyle={item.key === 'import.errorCount' && item.value > 0 ? { color: '#cf1322' } : undefined}
            data-testid={item.testId}
          />
        </Col>
      ))}
    </Row>
  );
}

export default function ImportWizard() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const initialKind: ImportKind = params.get('kind') === 'contacts' ? 'contacts' : 'accounts';
  const [step, setStep] = useState<Step>(0);
  const [kind, setKind] = useState<ImportKind>(initialKind);
  const [onDuplicate, setOnDuplicate] = useState<OnDuplicate>('fail');
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [applied, setApplied] = useState<ImportResult | null>(null);

  const check = async () => {
    if (!file) {
      setFileError(t('import.fileRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setPreview(await runImport(file, { kind, dryRun: true, onDuplicate }));
      setStep(1);
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const result = await runImport(file, { kind, dryRun: false, onDuplicate });
      if (result.errors.length) {
        // Something changed since the check: nothing was written; show the new errors.
        setPreview(result);
        setError(t('import.applyFailed'));
      } else {
        setApplied(result);
        setStep(2);
        message.success(t('import.applied'));
      }
    } catch (e) {
      setError(`${t('import.applyFailed')}：${describeError(e, t)}`);
    } finally {
      setBusy(false);
    }
  };

  const restart = () => {
    setStep(0);
    setFile(null);
    setPreview(null);
    setApplied(null);
    setError(null);
  };

  const errorColumns: TableProps<ImportRowError>['columns'] = [
    { title: t('import.errorRow'), dataIndex: 'row', width: 80 },
    { title: t('import.errorColumn'), dataIndex: 'column', width: 160, render: (v: string | null | undefined) => v ?? '' },
    { title: t('import.errorMessage'), dataIndex: 'message', render: (v: string) => localizeServerMessage(v, t) },
  ];

  return (
    <Card>
      <div className="kam-page-header">
        <Typography.Title level={4}>{t('import.title')}</Typography.Title>
      </div>
      <Steps
        current={step}
        style={{ marginBottom: 24, maxWidth: 720 }}
        items={[{ title: t('import.step.upload') }, { title: t('import.step.preview') }, { title: t('import.step.done') }]}
        data-testid="import-steps"
      />
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 16, maxWidth: 720 }} data-testid="import-error" /> : null}

      {step === 0 ? (
        <Form layout="vertical" style={{ maxWidth: 720 }} data-testid="import-form">
          <Typography.Paragraph type="secondary">{t('import.intro')}</Typography.Paragraph>
          <Form.Item label={t('import.kind')}>
            <Radio.Group
              value={kind}
              onChange={(e) => setKind(e.target.value as ImportKind)}
              optionType="button"
              options={IMPORT_KINDS.map((k) => ({ value: k, label: <span data-testid={`import-kind-${k}`}>{t(`import.kind.${k}` as MessageKey)}</span> }))}
            />
          </Form.Item>
          <Form.Item label={t('import.onDuplicate')} extra={kind === 'accounts' ? t('import.duplicateHelp') : undefined}>
            <Select
              value={onDuplicate}
              onChange={(v: OnDuplicate) => setOnDuplicate(v)}
              options={ON_DUPLICATE.map((v) => ({ value: v, label: t(`import.onDuplicate.${v}` as MessageKey) }))}
              style={{ maxWidth: 320 }}
              data-testid="import-on-duplicate"
            />
          </Form.Item>
          <Form.Item label={t('import.file')} validateStatus={fileError ? 'error' : undefined} help={fileError ?? undefined}>
            <div data-testid="import-file">
              <Upload.Dragger
                accept=".csv,.xlsx"
                maxCount={1}
                multiple={false}
                fileList={file ? [{ uid: 'file', name: t('import.fileLabel', { name: file.name, size: formatBytes(file.size) }), status: 'done' }] : []}
                beforeUpload={(chosen) => {
                  const problem = fileProblem(chosen);
                  if (problem) {
                    setFile(null);
                    setFileError(problem === 'size' ? t('import.fileTooLarge') : t('import.fileType'));
                  } else {
                    setFile(chosen);
                    setFileError(null);
                  }
                  return Upload.LIST_IGNORE;
                }}
                onRemove={() => {
                  setFile(null);
                  return true;
                }}
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{t('import.drop')}</p>
                <p className="ant-upload-hint" style={{ padding: '0 12px' }}>
                  {t('import.dropHint')}
                </p>
              </Upload.Dragger>
            </div>
          </Form.Item>
          <Space wrap>
            <Button type="primary" loading={busy} onClick={() => void check()} data-testid="import-check">
              {t('import.check')}
            </Button>
            <Button icon={<DownloadOutlined />} onClick={() => saveText(templateCsv(kind), `${kind}-template.csv`, 'text/csv;charset=utf-8')} data-testid="import-template">
              {t('import.template')}
            </Button>
          </Space>
        </Form>
      ) : null}

      {step === 1 && preview ? (
        <div data-testid="import-preview">
          <Counts result={preview} applied={false} />
          {preview.errors.length ? (
            <>
              <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('import.hasErrors', { count: preview.errors.length })} />
              <Table<ImportRowError>
                rowKey={(row) => `${row.row}-${row.column ?? ''}-${row.message}`}
                size="small"
                columns={errorColumns}
                dataSource={preview.errors}
                scroll={{ x: 520 }}
                pagination={{ pageSize: 20, size: 'small', hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
                style={{ marginBottom: 16 }}
                data-testid="import-errors"
              />
            </>
          ) : (
            <Alert type="success" showIcon style={{ marginBottom: 16 }} message={t('import.noErrors')} data-testid="import-ok" />
          )}
          <Space wrap>
            <Button
              onClick={() => {
                setStep(0);
                setError(null);
              }}
              data-testid="import-back"
            >
              {t('import.back')}
            </Button>
            <Button type="primary" disabled={preview.errors.length > 0 || preview.valid === 0} loading={busy} onClick={() => void apply()} data-testid="import-apply">
              {t('import.apply')}
            </Button>
          </Space>
        </div>
      ) : null}

      {step === 2 && applied ? (
        <div data-testid="import-done">
          <Result
            status="success"
            title={t('import.applied')}
            subTitle={t('import.appliedDetail', { created: applied.created, updated: applied.updated, skipped: applied.skipped })}
            extra={[
              <Button type="primary" key="accounts" onClick={() => navigate('/accounts')} data-testid="import-to-accounts">
                {t('import.toAccounts')}
              </Button>,
              <Button key="again" onClick={restart} data-testid="import-again">
                {t('import.again')}
              </Button>,
            ]}
          >
            <Counts result={applied} applied />
          </Result>
        </div>
      ) : null}
    </Card>
  );
}
