import { Stack, Table, Text, Title } from '@mantine/core';
import { dateTime } from '../lib/format';
import { useApi } from '../lib/use-api';

interface HistoryEvent {
  eventId: string;
  type: string;
  occurredAt: string;
  correlationId?: string;
  actor?: { id?: string; name?: string };
}

/** 履歴 (give it a key that changes with the resource to re-read): the resource's events, oldest first, with who did it and the correlation id that ties a request's events together. */
export function History({ path }: { path: string }) {
  const { data, error } = useApi<HistoryEvent[]>(`${path}/history`);
  return (
    <Stack gap="xs" className="no-print">
      <Title order={3}>履歴</Title>
      {error ? <Text c="red">{error.message}</Text> : null}
      <Table withTableBorder fz="sm" data-testid="history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>日時</Table.Th>
            <Table.Th>イベント</Table.Th>
            <Table.Th>実行者</Table.Th>
            <Table.Th>相関ID</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(data ?? []).map((event) => (
            <Table.Tr key={event.eventId}>
              <Table.Td>{dateTime(event.occurredAt)}</Table.Td>
              <Table.Td>{event.type}</Table.Td>
              <Table.Td>{event.actor?.name ?? event.actor?.id ?? 'システム'}</Table.Td>
              <Table.Td>
                <code>{event.correlationId}</code>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
