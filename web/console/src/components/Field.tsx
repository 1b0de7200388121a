import { ReactNode } from 'react';
import { SimpleGrid, Stack, Text } from '@mantine/core';

/** Label over value, as the seed's detail tabs show them. */
export const Field = ({ label, children }: { label: string; children: ReactNode }) => (
  <Stack gap={0}>
    <Text size="xs" c="dimmed">
      {label}
    </Text>
    <Text component="div">{children === null || children === undefined || children === '' ? '—' : children}</Text>
  </Stack>
);

export const Fields = ({ children }: { children: ReactNode }) => (
  <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md" verticalSpacing="xs">
    {children}
  </SimpleGrid>
);
