import { useState } from 'react';
import { Button, Card, Group, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { Link } from 'react-router';
import { ProblemAlert } from '../components/ProblemAlert';
import { post } from '../lib/api';
import { yen } from '../lib/format';
import { Problem } from '../lib/messages';
import { notifications } from '../lib/notify';

interface RunSummary {
  month: string;
  customers: number;
  invoices: { id: string; number: string; customerId: string; total: number }[];
  creditNotes: { id: string; number: string; total: number }[];
  skipped: unknown[];
}

const nextMonth = () => {
  const now = new Date(new Date().toLocaleString('en-US', { timeZone: 'Asia/Tokyo' }));
  const d = new Date(now.getFullYear(), now.getMonth() + 1, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
};

/** 請求処理 (distributor staff): a month's billing run, and usage imported for usage-billed lines. */
export default function Billing() {
  const [month, setMonth] = useState(nextMonth());
  const [summary, setSummary] = useState<RunSummary>();
  const [runProblem, setRunProblem] = useState<Problem>();
  const [running, setRunning] = useState(false);
  const [usage, setUsage] = useState({ usageId: '', lineId: '', month: '', amount: 0, description: '' });
  const [usageProblem, setUsageProblem] = useState<Problem>();

  const run = async () => {
    setRunning(true);
    setRunProblem(undefined);
    try {
      setSummary(await post<RunSummary>('/billing/runs', { month }));
      notifications.show(`${month} の請求処理が完了しました。`);
    } catch (caught) {
      setRunProblem(caught as Problem);
    } finally {
      setRunning(false);
    }
  };
  const importUsage = async () => {
    setUsageProblem(undefined);
    try {
      await post('/billing/usage', usage);
      notifications.show('使用量を取り込みました。');
    } catch (caught) {
      setUsageProblem(caught as Problem);
    }
  };
  const usageErrors = usageProblem?.fieldErrors() ?? {};

  return (
    <Stack maw={900}>
      <Title order={2}>請求処理</Title>
      <Card withBorder>
        <Stack>
          <Title order={3}>月次請求</Title>
          <Text size="sm">その月の1日付で販売先ごとに請求書を発行します。同じ月をもう一度実行しても二重には発行されません。</Text>
          <Group align="end">
            <TextInput label="請求月" type="month" value={month} onChange={(e) => setMonth(e.currentTarget.value)} error={runProblem?.fieldErrors().month} />
            <Button loading={running} onClick={() => void run()}>
              請求処理を実行
            </Button>
          </Group>
          <ProblemAlert problem={runProblem} />
          {summary ? (
            <Stack gap="xs" data-testid="run-summary">
              <Text>
                {summary.month}: 請求書 {summary.invoices.length} 件、返還請求書 {summary.creditNotes.length} 件、保留 {summary.skipped.length} 件
              </Text>
              <Table withTableBorder>
                <Table.Tbody>
                  {[...summary.invoices, ...summary.creditNotes].map((i) => (
                    <Table.Tr key={i.id}>
                      <Table.Td>
                        <Link to={`/invoices/${i.id}`}>{i.number}</Link>
                      </Table.Td>
                      <Table.Td>{yen(i.total)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Stack>
          ) : null}
        </Stack>
      </Card>
      <Card withBorder>
        <Stack>
          <Title order={3}>使用量取込（Azure など従量課金）</Title>
          <Group grow>
            <TextInput label="使用量ID" value={usage.usageId} error={usageErrors.usageId} onChange={(e) => setUsage({ ...usage, usageId: e.currentTarget.value })} />
            <TextInput label="契約明細ID" value={usage.lineId} error={usageErrors.lineId} onChange={(e) => setUsage({ ...usage, lineId: e.currentTarget.value })} />
          </Group>
          <Group grow>
            <TextInput label="利用月" type="month" value={usage.month} error={usageErrors.month} onChange={(e) => setUsage({ ...usage, month: e.currentTarget.value })} />
            <NumberInput label="金額(税別)" value={usage.amount} error={usageErrors.amount} onChange={(v) => setUsage({ ...usage, amount: Number(v) || 0 })} />
          </Group>
          <TextInput label="内容" value={usage.description} error={usageErrors.description} onChange={(e) => setUsage({ ...usage, description: e.currentTarget.value })} />
          <ProblemAlert problem={usageProblem} />
          <Group>
            <Button onClick={() => void importUsage()}>取込</Button>
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}
