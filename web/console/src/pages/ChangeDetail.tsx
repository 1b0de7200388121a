import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Button, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { ActionButton } from '../components/ActionButton';
import { Field, Fields } from '../components/Field';
import { History } from '../components/History';
import { ProblemAlert } from '../components/ProblemAlert';
import { StatusBadge } from '../components/StatusBadge';
import { post } from '../lib/api';
import { isAdmin, useSession } from '../lib/auth';
import { todayInTokyo } from '../lib/format';
import { Problem } from '../lib/messages';
import { notifications } from '../lib/notify';
import { ContractChange } from '../lib/types';
import { useApi } from '../lib/use-api';

const VENDOR_STATUS: Record<string, string> = { PENDING: '仕入元確認中', CONFIRMED: '仕入元確定', REFUSED: '仕入元拒否' };

/** 契約変更 (seed 001): 受付, 受付取消, 解約連携, 解約確定 (契約終了日; 強制確定 when the supplier has not confirmed). */
export default function ChangeDetail() {
  const { id } = useParams();
  const path = `/contract-changes/${id}`;
  // Poll while the vendor's answer to a linked line is outstanding.
  const { data: change, error, refresh: reload } = useApi<ContractChange>(path, {
    pollMs: 1500,
    poll: (c) => c.status === 'ACCEPTED' && c.lines.some((l) => l.linkStatus === 'LINKED' && l.vendorStatus === 'PENDING'),
  });
  if (!change) return <ProblemAlert problem={error} />;
  const done = () => void reload();
  const cancellation = change.type === 'CANCELLATION';
  const linked = change.lines.some((l) => l.linkStatus === 'LINKED');
  const allLinked = change.lines.every((l) => l.linkStatus === 'LINKED');
  const linkLabel = cancellation ? '解約連携' : '変更連携';

  return (
    <Stack>
      <Group>
        <Title order={2}>
          契約変更（{change.typeLabel}）{change.contractNumber}
        </Title>
        <StatusBadge status={change.status} label={change.statusLabel} />
      </Group>
      <Group align="flex-start">
        {change.status === 'APPLIED' ? <ActionButton label="受付" confirm="受付処理を実行します。よろしいですか？" done="受付処理が完了しました。" run={() => post(`${path}/accept`)} onDone={done} /> : null}
        {change.status === 'ACCEPTED' ? (
          <ActionButton
            variant="default"
            label="受付取消"
            confirm="受付を取り消します。よろしいですか？"
            disabledReason={linked ? '発注済みの為、受付取消はできません。' : undefined}
            run={() => post(`${path}/revoke-acceptance`)}
            onDone={done}
          />
        ) : null}
        {change.status === 'ACCEPTED' && !allLinked ? (
          <ActionButton
            label={linkLabel}
            confirm={`${linkLabel}を実行します。よろしいですか？`}
            done={`${linkLabel}が完了しました。`}
            run={() => post(`${path}/${cancellation ? 'link-cancellation' : 'link-quantity-change'}`)}
            onDone={done}
          />
        ) : null}
        {change.status === 'ACCEPTED' && allLinked ? (cancellation ? <ConfirmCancellation path={path} onDone={done} /> : <ActionButton label="変更確定" confirm="変更を確定します。よろしいですか？" run={() => post(`${path}/confirm-quantity-change`, {})} onDone={done} />) : null}
        {change.status === 'APPLIED' || (change.status === 'ACCEPTED' && !linked) ? (
          <ActionButton color="orange" variant="light" label="キャンセル" confirm="契約変更を取り下げます。よろしいですか？" run={() => post(`${path}/withdraw`)} onDone={done} />
        ) : null}
        <Button variant="subtle" component={Link} to={`/contracts/${change.contractId}`}>
          元契約表示
        </Button>
      </Group>
      <Fields>
        <Field label="契約番号">{change.contractNumber}</Field>
        <Field label="注文番号">{change.orderNumber}</Field>
        <Field label="種別">{change.typeLabel}</Field>
        <Field label="件名">{change.subject}</Field>
        <Field label="販売先">{change.customerCompanyName}</Field>
        <Field label="契約変更申込日">{change.requestedOn}</Field>
        <Field label="受付日">{change.acceptedOn}</Field>
        <Field label={cancellation ? '契約終了日' : '適用日'}>{cancellation ? change.endDate : change.effectiveOn}</Field>
        {change.forced ? <Field label="確定方法">強制確定</Field> : null}
      </Fields>
      <Title order={3}>{cancellation ? '解約連携明細' : '変更明細'}</Title>
      <Table withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>商品名</Table.Th>
            <Table.Th>変更前数量</Table.Th>
            <Table.Th>{cancellation ? '解約数' : '変更数'}</Table.Th>
            <Table.Th>変更後数量</Table.Th>
            <Table.Th>{cancellation ? '解約連携ステータス' : '連携ステータス'}</Table.Th>
            <Table.Th>仕入元</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {change.lines.map((l) => (
            <Table.Tr key={l.lineId}>
              <Table.Td>{l.productName}</Table.Td>
              <Table.Td>{l.currentQuantity}</Table.Td>
              <Table.Td>{l.quantity}</Table.Td>
              <Table.Td>{l.newQuantity}</Table.Td>
              <Table.Td>{l.linkStatusLabel ?? l.linkStatus}</Table.Td>
              <Table.Td data-testid="vendor-status">
                {l.vendorStatus ? (VENDOR_STATUS[l.vendorStatus] ?? l.vendorStatus) : '—'}
                {l.vendorReason ? <Text size="xs" c="red">{l.vendorReason}</Text> : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <History key={`${change.status}:${change.lines.map((l) => `${l.linkStatus}${l.vendorStatus}`).join()}`} path={path} />
    </Stack>
  );
}

/** 解約確定 with 契約終了日; a 409 SUPPLIER_NOT_CONFIRMED turns into the seed's warning with 強制確定 for those allowed. */
function ConfirmCancellation({ path, onDone }: { path: string; onDone: () => void }) {
  const session = useSession();
  const [opened, setOpened] = useState(false);
  const [endDate, setEndDate] = useState(todayInTokyo());
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const supplierWarning = problem?.code === 'SUPPLIER_NOT_CONFIRMED';

  const run = async (force: boolean) => {
    setBusy(true);
    try {
      await post(`${path}/confirm-cancellation`, { endDate, ...(force ? { force: true } : {}) });
      setOpened(false);
      notifications.show('解約確定が完了しました。');
      onDone();
    } catch (caught) {
      setProblem(caught as Problem);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        onClick={() => {
          setProblem(undefined);
          setOpened(true);
        }}
      >
        解約確定
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title="解約確定" centered>
        <Stack>
          <TextInput label="契約終了日" type="date" required value={endDate} error={problem?.fieldErrors().endDate} onChange={(e) => setEndDate(e.currentTarget.value)} />
          {supplierWarning ? (
            <Alert color="orange" role="alert" title="仕入元で解約処理が確定されていません。解約確定してもよろしいですか？">
              {isAdmin(session) ? '「強制確定」で仕入元の確定を待たずに解約を確定できます。' : '仕入元の確定をお待ちください（強制確定は管理エージェントのみ）。'}
            </Alert>
          ) : (
            <ProblemAlert problem={problem} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              戻る
            </Button>
            {supplierWarning && isAdmin(session) ? (
              <Button color="orange" loading={busy} onClick={() => void run(true)}>
                強制確定
              </Button>
            ) : null}
            <Button loading={busy} onClick={() => void run(false)}>
              解約確定
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
