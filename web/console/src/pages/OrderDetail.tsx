import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Checkbox, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title, Button } from '@mantine/core';
import { ActionButton } from '../components/ActionButton';
import { Field, Fields } from '../components/Field';
import { FormModal } from '../components/FormModal';
import { History } from '../components/History';
import { ProblemAlert } from '../components/ProblemAlert';
import { StatusBadge } from '../components/StatusBadge';
import { api, get, Page, post } from '../lib/api';
import { isAdmin, useSession } from '../lib/auth';
import { todayInTokyo, yen } from '../lib/format';
import { Order, Tenant } from '../lib/types';
import { useApi } from '../lib/use-api';

/** 注文登録 (seed 000): 受付, 受付解除, MS CSP プロビジョニング情報選択, 発注, キャンセル, 削除, then 契約作成. */
export default function OrderDetail() {
  const { id } = useParams();
  const path = `/orders/${id}`;
  const { data: order, error, refresh: reload } = useApi<Order>(path);
  const session = useSession();
  const navigate = useNavigate();
  const [tenants, setTenants] = useState<Tenant[]>([]);
  const [tenantId, setTenantId] = useState<string | null>(null);
  const [toPlace, setToPlace] = useState<string[]>([]);
  const [contractLines, setContractLines] = useState<string[]>([]);
  const [contract, setContract] = useState({ subject: '', subjectForForms: '', contractDate: todayInTokyo(), contractNumber: '', paymentMethod: '', storeNotes: '' });
  if (!order) return <ProblemAlert problem={error} />;

  const done = () => void reload();
  const unplaced = order.lines.filter((l) => l.placementStatus === 'UNPLACED');
  const placed = order.lines.filter((l) => l.placementStatus === 'PLACED');
  const microsoft = order.lines.some((l) => (l.vendor ?? 'Microsoft') === 'Microsoft');
  const { status } = order;
  const accepted = status === 'ACCEPTED' || status === 'PARTIALLY_PLACED';
  const tenantLabel = (t: Tenant) => `${t.primaryDomain}（${t.tenantId}・${t.mcaStatusLabel}）`;
  const setC = (key: keyof typeof contract, value: string) => setContract((c) => ({ ...c, [key]: value }));

  return (
    <Stack>
      <Group>
        <Title order={2}>注文 {order.orderNumber}</Title>
        <StatusBadge status={status} label={order.statusLabel} />
      </Group>
      <Group align="flex-start">
        {status === 'APPLIED' ? <ActionButton label="受付" confirm="受付処理を実行します。よろしいですか？" done="受付処理が完了しました。" run={() => post(`${path}/accept`)} onDone={done} /> : null}
        {status === 'ACCEPTED' ? <ActionButton variant="default" label="受付解除" confirm="受付を解除します。よろしいですか？" run={() => post(`${path}/revoke-acceptance`)} onDone={done} /> : null}
        {accepted && microsoft ? (
          <FormModal
            label="MS CSP プロビジョニング情報選択"
            buttonVariant="light"
            done="申請書を保存しました。"
            onOpen={() => {
              setTenantId(order.tenantId ?? null);
              void get<Page<Tenant>>(`/customers/${order.customerId}/tenants`).then((page) => setTenants(page.items), () => setTenants([]));
            }}
            submit={() => api('PUT', `${path}/provisioning-target`, { tenantId: tenantId ?? '' })}
            onDone={done}
          >
            {(errors) => (
              <>
                <Text size="sm" c="orange">
                  複数のテナント（プロビジョニング情報）が登録されている顧客の場合、反映対象のテナントに誤りがないようご注意ください
                </Text>
                <Select label="テナント（プロビジョニング情報）" data={tenants.map((t) => ({ value: t.id, label: tenantLabel(t) }))} value={tenantId} onChange={setTenantId} error={errors.tenantId} />
              </>
            )}
          </FormModal>
        ) : null}
        {accepted && unplaced.length ? (
          <FormModal label="発注" submitLabel="発注" done="発注が完了しました。" onOpen={() => setToPlace(unplaced.map((l) => l.id))} submit={() => post(`${path}/place`, { lineIds: toPlace })} onDone={done}>
            {() => (
              <>
                <Text>発注する商品を選択してください。</Text>
                <Table withTableBorder>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th />
                      <Table.Th>発注先</Table.Th>
                      <Table.Th>商品名</Table.Th>
                      <Table.Th>数量</Table.Th>
                      <Table.Th>発注ステータス</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {unplaced.map((l) => (
                      <Table.Tr key={l.id}>
                        <Table.Td>
                          <Checkbox aria-label={l.productName} checked={toPlace.includes(l.id)} onChange={(e) => setToPlace((ids) => (e.currentTarget.checked ? [...ids, l.id] : ids.filter((x) => x !== l.id)))} />
                        </Table.Td>
                        <Table.Td>{l.vendor}</Table.Td>
                        <Table.Td>{l.productName}</Table.Td>
                        <Table.Td>{l.quantity}</Table.Td>
                        <Table.Td>{l.placementStatusLabel ?? '未発注'}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </>
            )}
          </FormModal>
        ) : null}
        {placed.length ? (
          <FormModal
            label="契約作成"
            submitLabel="保存"
            done="契約を作成しました。"
            onOpen={() => {
              setContractLines(placed.map((l) => l.id));
              setContract((c) => ({ ...c, subject: c.subject || order.subject, subjectForForms: c.subjectForForms || order.subjectForForms }));
            }}
            submit={() => {
              const optional = Object.fromEntries(Object.entries({ contractNumber: contract.contractNumber, paymentMethod: contract.paymentMethod, storeNotes: contract.storeNotes }).filter(([, v]) => v.trim()));
              return post<{ id: string }>('/contracts', { orderId: order.id, lineIds: contractLines, subject: contract.subject, subjectForForms: contract.subjectForForms, contractDate: contract.contractDate, ...optional });
            }}
            onDone={(created) => navigate(`/contracts/${(created as { id: string }).id}`)}
          >
            {(errors) => (
              <>
                {placed.map((l) => (
                  <Checkbox key={l.id} label={`${l.productName} × ${l.quantity}`} checked={contractLines.includes(l.id)} onChange={(e) => setContractLines((ids) => (e.currentTarget.checked ? [...ids, l.id] : ids.filter((x) => x !== l.id)))} />
                ))}
                <TextInput label="契約番号" description="自動採番するには空欄のまま保存してください" value={contract.contractNumber} error={errors.contractNumber} onChange={(e) => setC('contractNumber', e.currentTarget.value)} />
                <Group align="end" wrap="nowrap">
                  <TextInput style={{ flex: 1 }} label="件名" required value={contract.subject} error={errors.subject} onChange={(e) => setC('subject', e.currentTarget.value)} />
                  <Button variant="default" onClick={() => setC('subject', [...new Set(placed.filter((l) => contractLines.includes(l.id)).map((l) => l.productName))].join('、'))}>
                    商品名から生成
                  </Button>
                </Group>
                <Group align="end" wrap="nowrap">
                  <TextInput style={{ flex: 1 }} label="件名(帳票用)" required value={contract.subjectForForms} error={errors.subjectForForms} onChange={(e) => setC('subjectForForms', e.currentTarget.value)} />
                  <Button variant="default" onClick={() => setC('subjectForForms', contract.subject)}>
                    件名をコピー
                  </Button>
                </Group>
                <SimpleGrid cols={2}>
                  <TextInput label="契約日" type="date" required value={contract.contractDate} error={errors.contractDate} onChange={(e) => setC('contractDate', e.currentTarget.value)} />
                  <TextInput label="支払方法" value={contract.paymentMethod} error={errors.paymentMethod} onChange={(e) => setC('paymentMethod', e.currentTarget.value)} />
                </SimpleGrid>
                <TextInput label="備考(ストア用)" value={contract.storeNotes} error={errors.storeNotes} onChange={(e) => setC('storeNotes', e.currentTarget.value)} />
              </>
            )}
          </FormModal>
        ) : null}
        {status === 'APPLIED' || status === 'ACCEPTED' ? <ActionButton color="orange" variant="light" label="キャンセル" confirm="注文をキャンセルします。よろしいですか？" run={() => post(`${path}/cancel`)} onDone={done} /> : null}
        {status === 'APPLIED' && isAdmin(session) ? <ActionButton color="red" variant="light" label="削除" confirm="注文を削除します。よろしいですか？" run={() => api('DELETE', path)} onDone={() => navigate('/orders')} /> : null}
      </Group>
      <Fields>
        <Field label="注文番号">{order.orderNumber}</Field>
        <Field label="販売先">{order.customerCompanyName}</Field>
        <Field label="件名">{order.subject}</Field>
        <Field label="件名(帳票用)">{order.subjectForForms}</Field>
        <Field label="注文日">{order.orderDate}</Field>
        <Field label="受付日">{order.acceptedOn}</Field>
        <Field label="発注番号 (PO)">{order.purchaseOrderNumber}</Field>
        <Field label="エンドユーザー注文番号">{order.endUserOrderNumber}</Field>
        <Field label="プロビジョニング情報（テナント）">{order.tenantId ? '選択済' : '未選択'}</Field>
      </Fields>
      <Title order={3}>注文明細</Title>
      <Table withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>発注先</Table.Th>
            <Table.Th>商品名</Table.Th>
            <Table.Th>数量</Table.Th>
            <Table.Th>単価</Table.Th>
            <Table.Th>小計</Table.Th>
            <Table.Th>発注ステータス</Table.Th>
            <Table.Th>発注日</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {order.lines.map((l) => (
            <Table.Tr key={l.id}>
              <Table.Td>{l.vendor}</Table.Td>
              <Table.Td>{l.productName}</Table.Td>
              <Table.Td>{l.quantity}</Table.Td>
              <Table.Td>{yen(l.unitPrice)}</Table.Td>
              <Table.Td>{yen(l.amount)}</Table.Td>
              <Table.Td>{l.placementStatusLabel ?? (l.placementStatus === 'PLACED' ? '発注済' : '未発注')}</Table.Td>
              <Table.Td>{l.placedOn}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="flex-end" gap="xl">
        <Text>小計 {yen(order.subtotal)}</Text>
        <Text>税額 {yen(order.tax)}</Text>
        <Text fw={700}>合計金額 {yen(order.total)}</Text>
      </Group>
      <History key={order.updatedAt} path={path} />
    </Stack>
  );
}
