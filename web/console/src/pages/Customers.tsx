import { Button } from '@mantine/core';
import { Link } from 'react-router';
import { Customer } from '../components/CustomerSelect';
import { ListPage, textFilter } from '../components/ListPage';

/** 販売先: the reseller's customers. */
export default function Customers() {
  return (
    <ListPage<Customer>
      title="販売先"
      path="/customers"
      pageSize={30}
      csvName="販売先"
      filters={[{ ...textFilter, label: '会社名' }]}
      rowLink={(c) => `/customers/${c.id}`}
      headerActions={
        <Button component={Link} to="/customers/new">
          販売先登録
        </Button>
      }
      columns={[
        { label: '会社名', value: (c) => c.companyName },
        { label: '会社名(カナ)', value: (c) => c.companyNameKana },
        { label: '事業所名', value: (c) => c.siteName },
        { label: '担当者', value: (c) => c.contact?.name },
        { label: '電話番号', value: (c) => c.contact?.phone },
        { label: '住所', value: (c) => (c.address ? `〒${c.address.postalCode} ${c.address.prefecture}${c.address.city}${c.address.address1}` : '') },
      ]}
    />
  );
}
