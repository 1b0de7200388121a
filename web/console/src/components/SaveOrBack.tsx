import { useNavigate } from 'react-router';
import { Button, Group } from '@mantine/core';

/** A new-record page's buttons: 保存 (spinning while it saves) and 戻る to where the user came from. */
export function SaveOrBack({ busy, onSave }: { busy: boolean; onSave: () => void }) {
  const navigate = useNavigate();
  return (
    <Group>
      <Button loading={busy} onClick={onSave}>
        保存
      </Button>
      <Button variant="default" onClick={() => navigate(-1)}>
        戻る
      </Button>
    </Group>
  );
}
