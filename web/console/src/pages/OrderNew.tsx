import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ActionIcon, Button, Group, NumberInput, Select, SimpleGrid, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { CustomerSelect } from '../components/CustomerSelect';
import { ProblemAlert } from '../components/ProblemAlert';
import { SaveOrBack } from '../components/SaveOrBack';
import { api } from '../lib/api';
import { termLabel, todayInTokyo, yen } from '../lib/format';
import { notifications } from '../lib/notify';
import { Product } from '../lib/types';
import { useApi } from '../lib/use-api';
import { useSave } from '../lib/use-save';

interface Line {
  sku: string | null;
  quantity: number;
}

/** 注文作成 (seed 000): 販売先情報, 注文明細 from the catalog, 注文情報. */
export default function OrderNew() {
  const { data: catalog } = useApi<{ items: Product[] }>('/products');
  const products = catalog?.items ?? [];
  const product = (sku: string | null) => products.find((p) => p.sku === sku);
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [lines, setLines] = useState<Line[]>([{ sku: null, quantity: 1 }]);
  const [info, setInfo] = useState({ orderNumber: '', subject: '', subjectForForms: '', orderDate: todayInTokyo(), purchaseOrderNumber: '', endUserOrderNumber: '' });
  // One key per form, so that pressing 保存 twice creates one order.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const navigate = useNavigate();
  const setLine = (index: number, change: Partial<Line>) => setLines((all) => all.map((line, i) => (i === index ? { ...line, ...change } : line)));
  const setField = (key: keyof typeof info, value: string) => setInfo((i) => ({ ...i, [key]: value }));

  const subjectFromProducts = () =>
    setField(
      'subject',
      [...new Set(lines.map((l) => product(l.sku)?.name).filter(Boolean))].join('、'),
    );

  const { busy, problem, submit } = useSave(async () => {
    const optional = Object.fromEntries(Object.entries(info).filter(([, v]) => v.trim() !== ''));
    const order = await api<{ id: string }>('POST', '/orders', { customerId: customerId ?? '', lines: lines.map((l) => ({ sku: l.sku ?? '', quantity: l.quantity })), ...optional }, { 'Idempotency-Key': idempotencyKey });
    notifications.show('注文を保存しました。');
    navigate(`/orders/${order.id}`);
  });
  const errors = problem?.fieldErrors() ?? {};

  const subtotal = lines.reduce((sum, l) => sum + (product(l.sku)?.unitPrice ?? 0) * l.quantity, 0);

  return (
    <Stack maw={1000}>
      <Title order={2}>注文作成</Title>
      <ProblemAlert problem={problem} />
      <Tabs defaultValue="customer" keepMounted>
        <Tabs.List>
          <Tabs.Tab value="customer">販売先情報</Tabs.Tab>
          <Tabs.Tab value="lines">注文明細</Tabs.Tab>
          <Tabs.Tab value="info">注文情報</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="customer" pt="md">
          <CustomerSelect label="販売先" required w={420} value={customerId} onChange={setCustomerId} error={errors.customerId} />
        </Tabs.Panel>
        <Tabs.Panel value="lines" pt="md">
          <Text size="sm" c="orange" mb="xs">
            対象商品の「年間契約」「月間契約」にご注意ください
          </Text>
          <Table withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>商品名</Table.Th>
                <Table.Th>契約</Table.Th>
                <Table.Th>単価</Table.Th>
                <Table.Th>数量</Table.Th>
                <Table.Th>小計</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lines.map((line, index) => {
                const p = product(line.sku);
                return (
                  <Table.Tr key={index}>
                    <Table.Td>
                      <Select
                        aria-label={`商品 ${index + 1}`}
                        searchable
                        w={380}
                        value={line.sku}
                        error={errors[`lines[${index}].sku`]}
                        onChange={(sku) => setLine(index, { sku })}
                        data={products.map((p) => ({ value: p.sku, label: `${p.name}（${p.vendor}・${termLabel(p.term)}）` }))}
                      />
                    </Table.Td>
                    <Table.Td>{termLabel(p?.term)}</Table.Td>
                    <Table.Td>{p ? yen(p.unitPrice) : ''}</Table.Td>
                    <Table.Td>
                      <NumberInput aria-label={`数量 ${index + 1}`} w={90} min={1} value={line.quantity} error={errors[`lines[${index}].quantity`]} onChange={(q) => setLine(index, { quantity: Number(q) || 0 })} />
                    </Table.Td>
                    <Table.Td>{p ? yen(p.unitPrice * line.quantity) : ''}</Table.Td>
                    <Table.Td>
                      <ActionIcon variant="subtle" color="red" aria-label="削除" disabled={lines.length === 1} onClick={() => setLines((all) => all.filter((_, i) => i !== index))}>
                        ✕
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          <Group mt="xs" justify="space-between">
            <Button variant="light" onClick={() => setLines((all) => [...all, { sku: null, quantity: 1 }])}>
              追加
            </Button>
            <Text>概算総額（税別）: {yen(subtotal)}</Text>
          </Group>
          {errors.lines ? <Text c="red">{errors.lines}</Text> : null}
        </Tabs.Panel>
        <Tabs.Panel value="info" pt="md">
          <SimpleGrid cols={2}>
            <TextInput label="注文番号" description="自動採番するには空欄のまま保存してください" value={info.orderNumber} error={errors.orderNumber} onChange={(e) => setField('orderNumber', e.currentTarget.value)} />
            <TextInput label="注文日" type="date" value={info.orderDate} error={errors.orderDate} onChange={(e) => setField('orderDate', e.currentTarget.value)} />
            <Group align="end" wrap="nowrap">
              <TextInput style={{ flex: 1 }} label="件名" value={info.subject} error={errors.subject} onChange={(e) => setField('subject', e.currentTarget.value)} />
              <Button variant="default" onClick={subjectFromProducts}>
                商品名から生成
              </Button>
            </Group>
            <Group align="end" wrap="nowrap">
              <TextInput style={{ flex: 1 }} label="件名(帳票用)" value={info.subjectForForms} error={errors.subjectForForms} onChange={(e) => setField('subjectForForms', e.currentTarget.value)} />
              <Button variant="default" onClick={() => setField('subjectForForms', info.subject)}>
                件名をコピー
              </Button>
            </Group>
            <TextInput label="発注番号 (PO)" description="StreamOne の商品では必須" value={info.purchaseOrderNumber} error={errors.purchaseOrderNumber} onChange={(e) => setField('purchaseOrderNumber', e.currentTarget.value)} />
            <TextInput label="エンドユーザー注文番号" value={info.endUserOrderNumber} error={errors.endUserOrderNumber} onChange={(e) => setField('endUserOrderNumber', e.currentTarget.value)} />
          </SimpleGrid>
        </Tabs.Panel>
      </Tabs>
      <SaveOrBack busy={busy} onSave={() => void submit()} />
    </Stack>
  );
}
