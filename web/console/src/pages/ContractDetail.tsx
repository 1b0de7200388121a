import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Button, Checkbox, Group, NumberInput, Stack, Table, Text, Title } from '@mantine/core';
import { ActionButton } from '../components/ActionButton';
import { Field, Fields } from '../components/Field';
import { FormModal } from '../components/FormModal';
import { History } from '../components/History';
import { ProblemAlert } from '../components/ProblemAlert';
import { StatusBadge } from '../components/StatusBadge';
import { Page, post, query } from '../lib/api';
import { Problem } from '../lib/messages';
import { Contract, Subscription } from '../lib/types';
import { useApi } from '../lib/use-api';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** 契約登録 (seeds 000, 001): 契約確定 once provisioning is complete, 解約手続き, 数量変更. */
export default function ContractDetail() {
  const { id } = useParams();
  const path = `/contracts/${id}`;
  const navigate = useNavigate();
  const { data: contract, error, refresh: reload } = useApi<Contract>(path);
  // The vendor answers asynchronously: re-read the subscriptions until every one is ACTIVE, no reload button.
  const subscriptions = useApi<Page<Subscription>>(contract ? `/provisioning/subscriptions${query({ orderId: contract.orderId, pageSize: 200 })}` : null, {
    pollMs: 1500,
    poll: (page) => contract?.status === 'PENDING' && !contract.lines.every((l) => page.items.find((s) => s.orderLineId === l.orderLineId)?.status === 'ACTIVE'),
  });
  const [selected, setSelected] = useState<Record<string, number>>({});
  const [all, setAll] = useState(false);
  const [newQuantities, setNewQuantities] = useState<Record<string, number>>({});
  if (!contract) return <ProblemAlert problem={error} />;

  // By order line: the contract learns its subscription ids from events, the subscriptions exist from placement.
  const subscriptionOf = (line: Contract['lines'][number]) => subscriptions.data?.items.find((s) => s.orderLineId === line.orderLineId);
  const waiting = contract.lines.filter((l) => subscriptionOf(l)?.status !== 'ACTIVE');
  const provisioningReason = !subscriptions.data
    ? 'プロビジョニング状況を確認しています…'
    : waiting.length
      ? `プロビジョニングが完了していないため契約確定できません（${waiting.map((l) => `${l.productName}: ${subscriptionOf(l)?.statusLabel ?? '未作成'}`).join('、')}）`
      : undefined;
  const active = contract.lines.filter((l) => l.status === 'ACTIVE');

  const confirm = async () => {
    // The contract service hears of the ACTIVE subscriptions a moment after provisioning shows them.
    for (let attempt = 0; ; attempt++) {
      try {
        return await post(`${path}/confirm`, {});
      } catch (caught) {
        if (!(caught instanceof Problem) || caught.code !== 'PROVISIONING_NOT_COMPLETE' || attempt >= 10) throw caught;
        await sleep(500);
      }
    }
  };

  return (
    <Stack>
      <Group>
        <Title order={2}>契約 {contract.contractNumber}</Title>
        <StatusBadge status={contract.status} label={contract.statusLabel} />
        {!contract.billing ? <Text c="dimmed">課金なし</Text> : null}
      </Group>
      <Group align="flex-start">
        {contract.status === 'PENDING' ? (
          <ActionButton label="契約確定" confirm="確定処理を実行します。よろしいですか？" confirmLabel="確定" done="確定が完了しました。" disabledReason={provisioningReason} run={confirm} onDone={() => void reload()} />
        ) : null}
        {active.length ? (
          <FormModal
            label="解約手続き"
            submitLabel="確認"
            size="xl"
            done="解約手続きを保存しました。"
            onOpen={() => {
              setSelected({});
              setAll(false);
            }}
            submit={() =>
              post<{ id: string }>(`${path}/cancellations`, all ? { all: true } : { lines: Object.entries(selected).map(([lineId, quantity]) => ({ lineId, quantity })) })
            }
            onDone={(change) => navigate(`/contract-changes/${(change as { id: string }).id}`)}
          >
            {(errors) => (
              <>
                <Text size="sm">
                  解約手続きする契約明細をご選択ください。全契約を解約する場合は「全選択」をご選択ください。※トライアル商品が含まれる場合は一括解約はできません。
                </Text>
                <Checkbox
                  label="全選択"
                  checked={all}
                  onChange={(e) => {
                    const checked = e.currentTarget.checked;
                    setAll(checked);
                    setSelected(checked ? Object.fromEntries(active.map((l) => [l.id, l.quantity])) : {});
                  }}
                />
                <LineTable
                  lines={active}
                  extra="解約数"
                  cell={(l) => (
                    <Group gap="xs" wrap="nowrap">
                      <Checkbox
                        aria-label={`${l.productName} を選択`}
                        checked={l.id in selected}
                        onChange={(e) => {
                          const checked = e.currentTarget.checked;
                          setAll(false);
                          setSelected(({ [l.id]: _, ...rest }) => (checked ? { ...rest, [l.id]: l.quantity } : rest));
                        }}
                      />
                      <NumberInput
                        aria-label={`${l.productName} の解約数`}
                        w={90}
                        min={1}
                        max={l.quantity}
                        disabled={!(l.id in selected)}
                        value={selected[l.id] ?? ''}
                        onChange={(q) => {
                          setAll(false);
                          setSelected((s) => ({ ...s, [l.id]: Number(q) || 0 }));
                        }}
                      />
                    </Group>
                  )}
                />
                {errors.lines ? <Text c="red">{errors.lines}</Text> : null}
              </>
            )}
          </FormModal>
        ) : null}
        {active.length ? (
          <FormModal
            label="数量変更"
            buttonVariant="light"
            size="xl"
            done="数量変更を保存しました。"
            onOpen={() => setNewQuantities(Object.fromEntries(active.map((l) => [l.id, l.quantity])))}
            submit={() =>
              post<{ id: string }>(`${path}/quantity-changes`, {
                lines: active.filter((l) => newQuantities[l.id] !== l.quantity).map((l) => ({ lineId: l.id, quantity: newQuantities[l.id] })),
              })
            }
            onDone={(change) => navigate(`/contract-changes/${(change as { id: string }).id}`)}
          >
            {() => (
              <LineTable
                lines={active}
                extra="変更後数量"
                cell={(l) => <NumberInput aria-label={`${l.productName} の変更後数量`} w={90} min={1} value={newQuantities[l.id]} onChange={(q) => setNewQuantities((s) => ({ ...s, [l.id]: Number(q) || 0 }))} />}
              />
            )}
          </FormModal>
        ) : null}
        <Button variant="subtle" onClick={() => navigate(`/orders/${contract.orderId}`)}>
          注文を表示
        </Button>
      </Group>
      <Fields>
        <Field label="契約番号">{contract.contractNumber}</Field>
        <Field label="注文番号">{contract.orderNumber}</Field>
        <Field label="販売先">{contract.customerCompanyName}</Field>
        <Field label="件名">{contract.subject}</Field>
        <Field label="件名(帳票用)">{contract.subjectForForms}</Field>
        <Field label="契約日">{contract.contractDate}</Field>
        <Field label="契約開始日">{contract.startDate}</Field>
        <Field label="契約終了日">{contract.endDate}</Field>
      </Fields>
      <Title order={3}>契約明細</Title>
      <LineTable
        lines={contract.lines}
        extra="プロビジョニング"
        cell={(l) => {
          const s = subscriptionOf(l);
          return s ? (
            <Stack gap={0}>
              <StatusBadge status={s.status} label={s.statusLabel} />
              {s.cancellationAllowedUntil || l.cancellationAllowedUntil ? <Text size="xs">解約可能期限: {s.cancellationAllowedUntil ?? l.cancellationAllowedUntil}</Text> : null}
            </Stack>
          ) : (
            '—'
          );
        }}
      />
      <History key={`${contract.updatedAt}`} path={path} />
    </Stack>
  );
}

function LineTable({ lines, extra, cell }: { lines: Contract['lines']; extra: string; cell: (line: Contract['lines'][number]) => React.ReactNode }) {
  return (
    <Table withTableBorder>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>商品名</Table.Th>
          <Table.Th>契約ステータス</Table.Th>
          <Table.Th>契約開始日</Table.Th>
          <Table.Th>契約終了日</Table.Th>
          <Table.Th>数量</Table.Th>
          <Table.Th>小計(税抜)</Table.Th>
          <Table.Th>{extra}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {lines.map((l) => (
          <Table.Tr key={l.id}>
            <Table.Td>{l.productName}</Table.Td>
            <Table.Td>
              <StatusBadge status={l.status} label={l.statusLabel} />
            </Table.Td>
            <Table.Td>{l.startDate}</Table.Td>
            <Table.Td>{l.endDate}</Table.Td>
            <Table.Td>{l.quantity}</Table.Td>
            <Table.Td>
              {l.quantity}×{l.unitPrice.toLocaleString('ja-JP')}円
            </Table.Td>
            <Table.Td>{cell(l)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
