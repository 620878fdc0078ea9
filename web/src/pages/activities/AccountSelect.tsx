// An account picker with server-side search (the caller's visible accounts).
import { useCallback, useEffect, useState } from 'react';
import { Select } from 'antd';
import { searchAccounts } from './service';

export default function AccountSelect(props: {
  value?: number;
  onChange?: (value: number) => void;
  initial?: { id: number; name: string } | null;
  testId?: string;
}) {
  const { value, onChange, initial, testId } = props;
  const [options, setOptions] = useState<{ value: number; label: string }[]>(initial ? [{ value: initial.id, label: initial.name }] : []);
  const search = useCallback(async (q: string) => {
    try {
      const page = await searchAccounts(q);
      setOptions(page.items.map((a) => ({ value: a.id, label: a.name })));
    } catch {
      setOptions([]);
    }
  }, []);
  useEffect(() => {
    if (!initial) void search('');
  }, [initial, search]);
  return (
    <Select
      showSearch
      filterOption={false}
      onSearch={(q) => void search(q)}
      options={options}
      value={value}
      onChange={onChange}
      data-testid={testId}
      style={{ width: '100%' }}
    />
  );
}
