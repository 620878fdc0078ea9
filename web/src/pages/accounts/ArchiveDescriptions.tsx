// The account record on the detail page, grouped as on the form and the 客户档案表 (基本信息,
// 经营信息, 需求与偏好, 分类, then the record's bookkeeping), with the priorities of the account's
// market stage and links to the printable 客户档案表 (HTML) and its XLSX.
import type { ReactNode } from 'react';
import { Button, Descriptions, Space, Tag, Typography } from 'antd';
import { FileExcelOutlined, PrinterOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey, type Translate } from '../../i18n';
import type { Account } from '../../api/types';
import { formatInstant, formatValue } from '../../utils/format';
import { ARCHIVE_FIELDS, ENUMS, SECTIONS, SECTION_LABELS, enumLabelKey, isEnumValue, type ArchiveAccount, type EnumField, type FieldSpec } from './archive';
import { formatYuan } from './money';
import { archiveFormUrl } from './service';

/** Labels of the archive fields for the change history (field name → dictionary key). */
export const ARCHIVE_AUDIT_LABELS: Record<string, MessageKey> = {
  ...Object.fromEntries(ARCHIVE_FIELDS.map((spec) => [spec.name, spec.label])),
  annual_revenue_fen: 'account.annualRevenueShort',
  in_pool: 'account.inPool',
  owned_since: 'account.ownedSince',
  last_activity_at: 'account.lastActivityAt',
};

/**
 * An archive value of an audit snapshot for reading: enum codes as their labels, fen as yuan,
 * booleans as 是/否, instants in local time; anything else as formatValue does.
 */
export function formatAuditValue(field: string, value: unknown, t: Translate): string {
  if (value === null || value === undefined || value === '') return '';
  if (field in ENUMS && typeof value === 'string' && isEnumValue(field as EnumField, value)) return t(enumLabelKey(field as EnumField, value));
  if (field === 'annual_revenue_fen' && (typeof value === 'number' || typeof value === 'string')) return t('account.yuan', { amount: formatYuan(value) });
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if ((field === 'owned_since' || field === 'last_activity_at') && typeof value === 'string') return formatInstant(value);
  return formatValue(value);
}

/** A safe link for a website typed without a scheme; null for anything but http(s). */
export function websiteHref(raw: string | null | undefined): string | null {
  const text = (raw ?? '').trim();
  if (!text || /\s/.test(text)) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
  try {
    const url = new URL(withScheme);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export default function ArchiveDescriptions({ account: plain }: { account: Account }) {
  const { t, locale } = useI18n();
  const account = plain as ArchiveAccount;
  const record = account as unknown as Record<string, unknown>;

  const show = (spec: FieldSpec): ReactNode => {
    const value = record[spec.name];
    if (value === null || value === undefined || value === '') return null;
    if (spec.kind === 'enum') return t(enumLabelKey(spec.name as EnumField, String(value)));
    if (spec.kind === 'money') return t('account.yuan', { amount: formatYuan(value as number) });
    if (spec.name === 'website') {
      const href = websiteHref(String(value));
      return href ? (
        <a href={href} target="_blank" rel="noopener noreferrer">
          {String(value)}
        </a>
      ) : (
        String(value)
      );
    }
    if (spec.kind === 'textarea') return <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{String(value)}</span>;
    return String(value);
  };

  const priorities = account.market_stage_priorities ?? [];
  const column = { xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 };

  return (
    <div data-testid="account-descriptions">
      <Space wrap size={8} style={{ marginBottom: 12 }}>
        <Button size="small" icon={<PrinterOutlined />} href={archiveFormUrl(account.id, 'html')} target="_blank" rel="noopener" data-testid="archive-print">
          {t('account.printArchive')}
        </Button>
        <Button size="small" icon={<FileExcelOutlined />} href={archiveFormUrl(account.id, 'xlsx')} download data-testid="archive-xlsx">
          {t('account.archiveXlsx')}
        </Button>
      </Space>
      {SECTIONS.map((section) => (
        <Descriptions
          key={section}
          bordered
          size="small"
          column={column}
          title={t(SECTION_LABELS[section])}
          style={{ marginBottom: 16 }}
          data-testid={`account-section-${section}`}
        >
          {section === 'basic' ? <Descriptions.Item label={t('account.archiveNo')}>{account.archive_no}</Descriptions.Item> : null}
          {ARCHIVE_FIELDS.filter((spec) => spec.section === section).map((spec) => {
            if (spec.name === 'tier_override_reason' && !account.tier_override_reason) return null;
            return (
              <Descriptions.Item key={spec.name} label={t(spec.label)} span={spec.wide ? column : undefined}>
                {show(spec)}
              </Descriptions.Item>
            );
          })}
          {section === 'classification' ? (
            <Descriptions.Item label={t('account.priorities')} span={column}>
              {priorities.length ? (
                <ol className="kam-priorities" data-testid="market-stage-priorities" style={{ margin: 0, paddingLeft: 0, listStyle: 'none', display: 'flex', flexWrap: 'wrap', gap: 6 }}>
                  {priorities.map((p, index) => (
                    <li key={p.key}>
                      <Tag color={index === 0 ? 'blue' : undefined} style={{ marginInlineEnd: 0 }}>
                        {index + 1}. {locale === 'en' ? p.label_en : p.label_zh}
                      </Tag>
                    </li>
                  ))}
                </ol>
              ) : (
                <Typography.Text type="secondary">{t('account.prioritiesEmpty')}</Typography.Text>
              )}
            </Descriptions.Item>
          ) : null}
        </Descriptions>
      ))}
      <Descriptions bordered size="small" column={column} title={t('account.section.system')} data-testid="account-section-system">
        <Descriptions.Item label={t('account.owner')}>
          {account.owner_name ?? null}
          {account.in_pool ? <Tag color="orange">{t('account.inPoolTag')}</Tag> : null}
        </Descriptions.Item>
        <Descriptions.Item label={t('account.department')}>{account.department_name}</Descriptions.Item>
        <Descriptions.Item label={t('account.createdAt')}>{formatInstant(account.created_at)}</Descriptions.Item>
        <Descriptions.Item label={t('account.updatedAt')}>{formatInstant(account.updated_at)}</Descriptions.Item>
        <Descriptions.Item label={t('account.lastActivityAt')}>{formatInstant(account.last_activity_at)}</Descriptions.Item>
        <Descriptions.Item label={t('account.ownedSince')}>{formatInstant(account.owned_since)}</Descriptions.Item>
      </Descriptions>
    </div>
  );
}
