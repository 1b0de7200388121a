import { useParams } from 'react-router';
import { Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { History } from '../components/History';
import { ProblemAlert } from '../components/ProblemAlert';
import { yen } from '../lib/format';
import { Invoice } from '../lib/types';
import { useApi } from '../lib/use-api';

/** A qualified invoice (適格請求書) as it prints on A4: issuer and registration number, ○月分, recipient, lines, tax per rate. */
export default function InvoiceDetail() {
  const { id } = useParams();
  const path = `/invoices/${id}`;
  const { data: invoice, error } = useApi<Invoice>(path);
  if (!invoice) return <ProblemAlert problem={error} />;
  const credit = invoice.kind === 'CREDIT_NOTE';
  return (
    <Stack>
      <Group className="no-print">
        <Button onClick={() => window.print()}>印刷</Button>
      </Group>
      <Paper className="invoice-sheet" withBorder shadow="xs" p="xl" maw={800} data-testid="invoice-sheet">
        <Stack gap="md">
          <Title order={2} ta="center">
            {credit ? '適格返還請求書' : '適格請求書'}
          </Title>
          <Group justify="space-between" align="flex-start">
            <Stack gap={2}>
              <Text size="lg" fw={700}>
                {invoice.recipientName} 御中
              </Text>
              <Text>{invoice.periodLabel}</Text>
              {credit && invoice.originalInvoiceNumber ? <Text>元の請求書番号: {invoice.originalInvoiceNumber}</Text> : null}
            </Stack>
            <Stack gap={2} ta="right">
              <Text>請求書番号: {invoice.number}</Text>
              <Text>発行日: {invoice.issuedOn}</Text>
              <Text fw={700}>{invoice.issuer.name}</Text>
              <Text>登録番号: {invoice.issuer.registrationNumber}</Text>
            </Stack>
          </Group>
          <Text size="xl" fw={700}>
            ご請求金額 {yen(invoice.total)}（税込）
          </Text>
          <Table withTableBorder withColumnBorders>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>契約番号</Table.Th>
                <Table.Th>内容</Table.Th>
                <Table.Th>期間</Table.Th>
                <Table.Th ta="right">数量</Table.Th>
                <Table.Th ta="right">単価</Table.Th>
                <Table.Th ta="right">金額(税別)</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invoice.lines.map((line) => (
                <Table.Tr key={line.chargeId}>
                  <Table.Td>{line.contractNumber}</Table.Td>
                  <Table.Td>{line.description}</Table.Td>
                  <Table.Td>{line.periodStart && line.periodEnd ? `${line.periodStart} ~ ${line.periodEnd}` : ''}</Table.Td>
                  <Table.Td ta="right">{line.quantity}</Table.Td>
                  <Table.Td ta="right">{yen(line.unitPrice)}</Table.Td>
                  <Table.Td ta="right">{yen(line.amount)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Table withTableBorder maw={420} ml="auto">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th>小計(税別)</Table.Th>
                <Table.Td ta="right">{yen(invoice.subtotal)}</Table.Td>
              </Table.Tr>
              {invoice.taxes.map((t) => (
                <Table.Tr key={t.rate}>
                  <Table.Th>
                    {t.rate}%対象 {yen(t.taxableAmount)} 消費税
                  </Table.Th>
                  <Table.Td ta="right">{yen(t.tax)}</Table.Td>
                </Table.Tr>
              ))}
              <Table.Tr>
                <Table.Th>合計(税込)</Table.Th>
                <Table.Td ta="right" fw={700}>
                  {yen(invoice.total)}
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Stack>
      </Paper>
      <History path={path} />
    </Stack>
  );
}
