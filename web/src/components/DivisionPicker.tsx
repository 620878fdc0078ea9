// Province / city cascader over GET /divisions (for filters): pick a province alone or a city
// in it. The value is the pair of names, as the API stores and filters them.
import { Cascader } from 'antd';
import type { CSSProperties } from 'react';
import { useI18n } from '../i18n';
import { useDivisions } from './divisions';

export interface DivisionValue {
  province?: string;
  city?: string;
}

interface Option {
  value: string;
  label: string;
  children?: Option[];
}

export interface DivisionPickerProps {
  value?: DivisionValue;
  onChange?: (value: DivisionValue) => void;
  placeholder?: string;
  style?: CSSProperties;
  'data-testid'?: string;
}

export default function DivisionPicker({ value, onChange, placeholder, style, ...rest }: DivisionPickerProps) {
  const { t } = useI18n();
  const provinces = useDivisions();
  const options: Option[] = provinces.map((p) => ({
    value: p.name,
    label: p.name,
    children: p.cities.map((c) => ({ value: c.name, label: c.name })),
  }));
  // A value not in the list (yet) still shows, as a lone option.
  if (value?.province && !provinces.some((p) => p.name === value.province)) {
    options.unshift({ value: value.province, label: value.province, children: value.city ? [{ value: value.city, label: value.city }] : undefined });
  }
  const selected = value?.province ? (value.city ? [value.province, value.city] : [value.province]) : [];
  return (
    <Cascader
      options={options}
      value={selected}
      changeOnSelect
      allowClear
      showSearch={{ filter: (input, path) => path.some((o) => String(o.label).includes(input.trim())) }}
      placeholder={placeholder ?? t('account.filter.region')}
      notFoundContent={t('common.empty')}
      style={style}
      data-testid={rest['data-testid']}
      onChange={(path) => {
        const [province, city] = (path ?? []) as string[];
        onChange?.({ province: province || undefined, city: city || undefined });
      }}
    />
  );
}
