import { useState } from 'react';
import { useParams } from 'react-router';
import { Group, Stack, Table, TextInput, Title } from '@mantine/core';
import { ActionButton } from '../components/ActionButton';
import { Customer } from '../components/CustomerSelect';
import { Field, Fields } from '../components/Field';
import { FormModal } from '../components/FormModal';
import { ProblemAlert } from '../components/ProblemAlert';
import { StatusBadge } from '../components/StatusBadge';
import { Page, post } from '../lib/api';
import { isAdmin, useSession } from '../lib/auth';
import { todayInTokyo } from '../lib/format';
import { Tenant } from '../lib/types';
import { useApi } from '../lib/use-api';

/** 販売先 detail: its tenants (プロビジョニング情報) and their Microsoft Customer Agreement (seed 004). */
export default function CustomerDetail() {
  const { id } = useParams();
  const { data: customer, error } = useApi<Customer>(`/customers/${id}`);
  const tenants = useApi<Page<Tenant>>(`/customers/${id}/tenants`);
  const reloadTenants = () => void tenants.refresh();
  const session = useSession();
  const [tenant, setTenant] = useState({ tenantId: '', primaryDomain: '' });
  const [mca, setMca] = useState({ firstName: '', lastName: '', email: '', phone: '', acceptedOn: todayInTokyo() });
  if (!customer) return <ProblemAlert problem={error} />;
  return (
    <Stack>
      <Title order={2}>販売先 {customer.companyName}</Title>
      <Fields>
        <Field label="会社名">{customer.companyName}</Field>
        <Field label="会社名(カナ)">{customer.companyNameKana}</Field>
        <Field label="事業所名">{customer.siteName}</Field>
        <Field label="担当者">{customer.contact?.name}</Field>
        <Field label="電話番号">{customer.contact?.phone}</Field>
        <Field label="メールアドレス">{customer.contact?.email}</Field>
        <Field label="郵便番号">{customer.address?.postalCode}</Field>
        <Field label="住所">{customer.address ? `${customer.address.prefecture}${customer.address.city}${customer.address.address1}${customer.address.address2 ?? ''}` : ''}</Field>
      </Fields>
      <Group justify="space-between">
        <Title order={3}>MS CSP プロビジョニング情報（テナント）</Title>
        <FormModal
          label="テナント登録"
          onOpen={() => setTenant({ tenantId: '', primaryDomain: '' })}
          submit={() => post(`/customers/${id}/tenants`, tenant)}
          onDone={reloadTenants}
        >
          {(errors) => (
            <>
              <TextInput label="テナントID (GUID)" value={tenant.tenantId} error={errors.tenantId} onChange={(e) => setTenant({ ...tenant, tenantId: e.currentTarget.value })} />
              <TextInput label="プライマリドメイン" value={tenant.primaryDomain} error={errors.primaryDomain} onChange={(e) => setTenant({ ...tenant, primaryDomain: e.currentTarget.value })} />
            </>
          )}
        </FormModal>
      </Group>
      <ProblemAlert problem={tenants.error} />
      <Table withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>テナントID</Table.Th>
            <Table.Th>プライマリドメイン</Table.Th>
            <Table.Th>MCA</Table.Th>
            <Table.Th>同意日</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(tenants.data?.items ?? []).map((t) => (
            <Table.Tr key={t.id}>
              <Table.Td>{t.tenantId}</Table.Td>
              <Table.Td>{t.primaryDomain}</Table.Td>
              <Table.Td>
                <StatusBadge status={t.mcaStatus === 'ACCEPTED' ? 'ACTIVE' : 'PENDING'} label={t.mcaStatusLabel} />
              </Table.Td>
              <Table.Td>{t.customerAgreement?.acceptedOn}</Table.Td>
              <Table.Td>
                {t.mcaStatus !== 'ACCEPTED' ? (
                  <Group gap="xs">
                    {isAdmin(session) ? (
                      <FormModal label="MCA 同意の証明" submit={() => post(`/tenants/${t.id}/customer-agreement`, { ...mca, phone: mca.phone || undefined })} onDone={reloadTenants}>
                        {(errors) => (
                          <>
                            <TextInput label="姓" value={mca.lastName} error={errors.lastName} onChange={(e) => setMca({ ...mca, lastName: e.currentTarget.value })} />
                            <TextInput label="名" value={mca.firstName} error={errors.firstName} onChange={(e) => setMca({ ...mca, firstName: e.currentTarget.value })} />
                            <TextInput label="メールアドレス" value={mca.email} error={errors.email} onChange={(e) => setMca({ ...mca, email: e.currentTarget.value })} />
                            <TextInput label="電話番号（任意）" value={mca.phone} error={errors.phone} onChange={(e) => setMca({ ...mca, phone: e.currentTarget.value })} />
                            <TextInput label="同意日" type="date" value={mca.acceptedOn} error={errors.acceptedOn} onChange={(e) => setMca({ ...mca, acceptedOn: e.currentTarget.value })} />
                          </>
                        )}
                      </FormModal>
                    ) : null}
                    {isAdmin(session) ? (
                      <ActionButton
                        variant="default"
                        label="顧客による直接同意を記録"
                        confirm="お客様が管理センターで MCA に同意したことを記録します。よろしいですか？"
                        run={() => post(`/tenants/${t.id}/customer-agreement/direct-acceptance`, { acceptedOn: todayInTokyo() })}
                        onDone={reloadTenants}
                      />
                    ) : null}
                  </Group>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
