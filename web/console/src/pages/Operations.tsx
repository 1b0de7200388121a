import { Stack, Table, Title } from '@mantine/core';
import { ActionButton } from '../components/ActionButton';
import { ProblemAlert } from '../components/ProblemAlert';
import { post } from '../lib/api';
import { useApi } from '../lib/use-api';

interface Projection {
  service: string;
  name: string;
  checkpoint: number;
}

/** 運用 (distributor staff): each read model's checkpoint, and a rebuild from the events. */
export default function Operations() {
  const { data, error, refresh: reload } = useApi<{ items: Projection[] }>('/ops/projections');
  return (
    <Stack maw={900}>
      <Title order={2}>運用</Title>
      <ProblemAlert problem={error} />
      <Table withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>サービス</Table.Th>
            <Table.Th>プロジェクション</Table.Th>
            <Table.Th>チェックポイント</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(data?.items ?? []).map((p) => (
            <Table.Tr key={`${p.service}/${p.name}`}>
              <Table.Td>{p.service}</Table.Td>
              <Table.Td>{p.name}</Table.Td>
              <Table.Td>{p.checkpoint}</Table.Td>
              <Table.Td>
                <ActionButton
                  size="xs"
                  variant="light"
                  label="再構築"
                  confirm={`${p.name} をイベントの先頭から再構築します。よろしいですか？`}
                  run={() => post(`/ops/projections/${encodeURIComponent(p.name)}/rebuild`)}
                  onDone={() => void reload()}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
