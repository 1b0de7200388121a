import { Badge } from '@mantine/core';
import { statusColor } from '../lib/labels';

export const StatusBadge = ({ status, label }: { status: string; label?: string }) => (
  <Badge color={statusColor(status)} variant="light" radius="sm" data-status={status}>
    {label ?? status}
  </Badge>
);
