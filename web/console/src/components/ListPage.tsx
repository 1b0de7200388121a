import { ReactNode, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button, Group, Pagination, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { getAll, Page, query } from '../lib/api';
import { download, toCsv } from '../lib/csv';
import { Problem } from '../lib/messages';
import { useApi } from '../lib/use-api';
import { CustomerSelect } from './CustomerSelect';
import { ProblemAlert } from './ProblemAlert';

export interface Column<T> {
  label: string;
  /** The cell's text, also its CSV value. */
  value: (row: T) => string | number | null | undefined;
  render?: (row: T) => ReactNode;
}

export type Filter =
  | { kind: 'select'; key: string; label: string; options: Record<string, string> }
  | { kind: 'customer'; key: 'customerId'; label: string }
  | { kind: 'date' | 'month' | 'text'; key: string; label: string };

export const statusFilter = (options: Record<string, string>, label = 'ステータス'): Filter => ({ kind: 'select', key: 'status', label, options });
export const customerFilter: Filter = { kind: 'customer', key: 'customerId', label: '顧客' };
export const dateRange = (label: string): Filter[] => [
  { kind: 'date', key: 'from', label: `${label}（から）` },
  { kind: 'date', key: 'to', label: `${label}（まで）` },
];
export const textFilter: Filter = { kind: 'text', key: 'q', label: '番号・件名' };

interface Props<T> {
  title: string;
  path: string;
  pageSize: number;
  columns: Column<T>[];
  filters: Filter[];
  csvName: string;
  rowLink?: (row: T) => string;
  /** Rows not billing are greyed out, as in the seed's 契約一覧. */
  greyed?: (row: T) => boolean;
  rowActions?: (row: T, reload: () => void) => ReactNode;
  headerActions?: ReactNode;
  /** Re-read while this holds (a subscription still provisioning, say). */
  poll?: (page: Page<T>) => boolean;
}

/** A seed list screen: server-side paging (1 ~ 30件目 / N件中), filters in the URL, newest first, CSV export. */
export function ListPage<T extends { id: string }>(props: Props<T>) {
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? 1) || 1;
  const filterValues = Object.fromEntries(props.filters.map((f) => [f.key, params.get(f.key) ?? '']));
  const path = `${props.path}${query({ ...filterValues, page, pageSize: props.pageSize })}`;
  const { data, dataPath, error, loading, refresh: reload } = useApi<Page<T>>(path, { pollMs: 2000, poll: props.poll });
  // The range and the row numbers follow the rows on screen, not the page asked for while it loads.
  const shownPage = dataPath ? Number(new URLSearchParams(dataPath.split('?')[1]).get('page')) || 1 : page;
  const [exporting, setExporting] = useState(false);
  const [exportProblem, setExportProblem] = useState<Problem>();

  const setFilter = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete('page');
    setParams(next);
  };
  const setPage = (n: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(n));
    setParams(next);
  };

  const exportCsv = async () => {
    setExporting(true);
    setExportProblem(undefined);
    try {
      const rows = await getAll<T>(props.path, filterValues);
      download(`${props.csvName}.csv`, toCsv(props.columns.map((c) => c.label), rows.map((row) => props.columns.map((c) => c.value(row)))));
    } catch (caught) {
      setExportProblem(caught as Problem);
    } finally {
      setExporting(false);
    }
  };

  const total = data?.total ?? 0;
  const first = total === 0 ? 0 : (shownPage - 1) * props.pageSize + 1;
  const last = Math.min(shownPage * props.pageSize, total);
  const pages = Math.max(1, Math.ceil(total / props.pageSize));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{props.title}</Title>
        <Group>
          {props.headerActions}
          <Button variant="default" onClick={() => void exportCsv()} loading={exporting}>
            CSV出力
          </Button>
        </Group>
      </Group>
      <Group align="end" gap="sm" role="search">
        {props.filters.map((filter) => (
          <FilterInput key={filter.key} filter={filter} value={filterValues[filter.key]} onChange={(v) => setFilter(filter.key, v)} />
        ))}
      </Group>
      <ProblemAlert problem={error ?? exportProblem} />
      <Text size="sm" data-testid="page-range">
        {first} ~ {last}件目 / {total}件中
      </Text>
      <Table striped highlightOnHover withTableBorder data-loading={loading || undefined}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>No</Table.Th>
            {props.columns.map((c) => (
              <Table.Th key={c.label}>{c.label}</Table.Th>
            ))}
            {props.rowLink || props.rowActions ? <Table.Th /> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(data?.items ?? []).map((row, index) => (
            <Table.Tr key={row.id} style={props.greyed?.(row) ? { color: 'var(--mantine-color-gray-5)' } : undefined} data-greyed={props.greyed?.(row) || undefined}>
              <Table.Td>{first + index}</Table.Td>
              {props.columns.map((c) => (
                <Table.Td key={c.label}>{c.render ? c.render(row) : c.value(row)}</Table.Td>
              ))}
              {props.rowLink || props.rowActions ? (
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    {props.rowActions?.(row, () => void reload())}
                    {props.rowLink ? (
                      <Button component={Link} to={props.rowLink(row)} size="xs" variant="light">
                        編集
                      </Button>
                    ) : null}
                  </Group>
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {total === 0 && !loading ? <Text c="dimmed">該当するデータがありません。</Text> : null}
      <Pagination
        total={pages}
        value={page}
        onChange={setPage}
        getControlProps={(control) => ({ 'aria-label': PAGINATION_LABELS[control] })}
        getItemProps={(n) => ({ 'aria-label': `${n}ページ`, 'aria-current': n === page ? 'page' : undefined })}
      />
    </Stack>
  );
}

const PAGINATION_LABELS = { first: '最初のページ', previous: '前のページ', next: '次のページ', last: '最後のページ' } as const;

function FilterInput({ filter, value, onChange }: { filter: Filter; value: string; onChange: (value: string | null) => void }) {
  switch (filter.kind) {
    case 'select':
      return (
        <Select
          label={filter.label}
          clearable
          w={180}
          value={value || null}
          onChange={onChange}
          data={Object.entries(filter.options).map(([code, label]) => ({ value: code, label }))}
        />
      );
    case 'customer':
      return <CustomerSelect label={filter.label} w={240} value={value || null} onChange={onChange} />;
    case 'text':
      return <TextInput label={filter.label} w={200} defaultValue={value} onBlur={(e) => onChange(e.currentTarget.value.trim() || null)} onKeyDown={(e) => e.key === 'Enter' && onChange(e.currentTarget.value.trim() || null)} />;
    default:
      return <TextInput label={filter.label} type={filter.kind} w={170} value={value} onChange={(e) => onChange(e.currentTarget.value || null)} />;
  }
}
