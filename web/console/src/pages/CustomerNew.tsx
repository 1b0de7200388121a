import { useState } from 'react';
import { useNavigate } from 'react-router';
import { SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { ProblemAlert } from '../components/ProblemAlert';
import { SaveOrBack } from '../components/SaveOrBack';
import { post } from '../lib/api';
import { notifications } from '../lib/notify';
import { lookupPostalCode } from '../lib/postal';
import { useSave } from '../lib/use-save';

const EMPTY = {
  companyName: '',
  companyNameKana: '',
  siteName: '',
  'contact.name': '',
  'contact.phone': '',
  'contact.email': '',
  'address.postalCode': '',
  'address.prefecture': '',
  'address.city': '',
  'address.address1': '',
  'address.address2': '',
};
type Key = keyof typeof EMPTY;
const LABELS: Record<Key, string> = {
  companyName: '会社名',
  companyNameKana: '会社名(カナ)',
  siteName: '事業所名',
  'contact.name': '担当者名',
  'contact.phone': '電話番号',
  'contact.email': 'メールアドレス',
  'address.postalCode': '郵便番号',
  'address.prefecture': '都道府県',
  'address.city': '市区町村',
  'address.address1': '住所1',
  'address.address2': '住所2',
};

/** 販売先登録: the postal code fills 都道府県 and 市区町村. */
export default function CustomerNew() {
  const [form, setForm] = useState(EMPTY);
  const navigate = useNavigate();
  const set = (key: Key, value: string) => setForm((f) => ({ ...f, [key]: value }));

  const onPostalCode = async (value: string) => {
    set('address.postalCode', value);
    const found = await lookupPostalCode(value);
    if (found) setForm((f) => ({ ...f, 'address.postalCode': value, 'address.prefecture': found.prefecture, 'address.city': found.city, 'address.address1': f['address.address1'] || (found.town ?? '') }));
  };

  const { busy, problem, submit } = useSave(async () => {
    const body = {
      companyName: form.companyName,
      companyNameKana: form.companyNameKana,
      siteName: form.siteName,
      contact: { name: form['contact.name'], phone: form['contact.phone'], email: form['contact.email'] },
      address: {
        postalCode: form['address.postalCode'].replace(/-/g, ''),
        prefecture: form['address.prefecture'],
        city: form['address.city'],
        address1: form['address.address1'],
        ...(form['address.address2'] ? { address2: form['address.address2'] } : {}),
      },
    };
    const customer = await post<{ id: string }>('/customers', body);
    notifications.show('販売先を登録しました。');
    navigate(`/customers/${customer.id}`);
  });
  const errors = problem?.fieldErrors() ?? {};

  const input = (key: Key, extra: Partial<Parameters<typeof TextInput>[0]> = {}) => (
    <TextInput key={key} label={LABELS[key]} value={form[key]} error={errors[key]} onChange={(e) => set(key, e.currentTarget.value)} {...extra} />
  );

  return (
    <Stack maw={800}>
      <Title order={2}>販売先登録</Title>
      <ProblemAlert problem={problem} />
      <SimpleGrid cols={2}>
        {input('companyName', { required: true })}
        {input('companyNameKana', { required: true })}
        {input('siteName', { required: true })}
        <div />
        {input('contact.name', { required: true })}
        {input('contact.phone', { required: true })}
        {input('contact.email', { required: true })}
        <div />
        <TextInput
          label={LABELS['address.postalCode']}
          description="7桁で入力すると都道府県・市区町村を補完します"
          required
          value={form['address.postalCode']}
          error={errors['address.postalCode']}
          onChange={(e) => void onPostalCode(e.currentTarget.value)}
        />
        {input('address.prefecture', { required: true })}
        {input('address.city', { required: true })}
        {input('address.address1', { required: true })}
        {input('address.address2')}
      </SimpleGrid>
      <SaveOrBack busy={busy} onSave={() => void submit()} />
    </Stack>
  );
}
