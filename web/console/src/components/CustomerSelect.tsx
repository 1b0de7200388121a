import { Select, SelectProps } from '@mantine/core';
import { Page } from '../lib/api';
import { useApi } from '../lib/use-api';

export interface Customer {
  id: string;
  companyName: string;
  companyNameKana?: string;
  siteName?: string;
  contact?: { name: string; phone?: string; email?: string };
  address?: { postalCode: string; prefecture: string; city: string; address1: string; address2?: string };
  registeredAt?: string;
}

/** The reseller's customers (販売先) to choose from, searchable by name. */
export function CustomerSelect(props: Omit<SelectProps, 'data'>) {
  const { data } = useApi<Page<Customer>>('/customers?pageSize=200');
  return (
    <Select
      searchable
      clearable
      nothingFoundMessage="該当する販売先がありません"
      {...props}
      data={(data?.items ?? []).map((c) => ({ value: c.id, label: c.siteName ? `${c.companyName}（${c.siteName}）` : c.companyName }))}
    />
  );
}
