import { useState } from 'react';
import { Button, ButtonProps, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '../lib/notify';
import { Problem } from '../lib/messages';
import { ProblemAlert } from './ProblemAlert';

interface Props extends Omit<ButtonProps, 'onClick'> {
  label: string;
  /** Asked first, as the seed screens do (受付処理を実行します。よろしいですか？). */
  confirm?: string;
  /** The button in the confirmation dialog (default: the label). */
  confirmLabel?: string;
  run: () => Promise<unknown>;
  done?: string;
  onDone?: () => void;
  disabledReason?: string;
}

/** One command: optional confirmation, the call, its refusal shown in the dialog or beside the button. */
export function ActionButton({ label, confirm, confirmLabel, run, done, onDone, disabledReason, ...buttonProps }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();

  const execute = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      await run();
      setAsking(false);
      notifications.show(done ?? `${label}が完了しました。`);
      onDone?.();
    } catch (caught) {
      setProblem(caught instanceof Problem ? caught : new Problem(0, { title: String(caught) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Stack gap={2}>
        <Button
          {...buttonProps}
          loading={busy && !asking}
          disabled={!!disabledReason || buttonProps.disabled}
          title={disabledReason}
          onClick={() => (confirm ? (setProblem(undefined), setAsking(true)) : void execute())}
        >
          {label}
        </Button>
        {disabledReason ? (
          <Text size="xs" c="dimmed" maw={260}>
            {disabledReason}
          </Text>
        ) : null}
        {!asking && problem ? <ProblemAlert problem={problem} onClose={() => setProblem(undefined)} /> : null}
      </Stack>
      <Modal opened={asking} onClose={() => setAsking(false)} title={label} centered>
        <Stack>
          <Text>{confirm}</Text>
          <ProblemAlert problem={problem} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsking(false)}>
              戻る
            </Button>
            <Button loading={busy} onClick={() => void execute()}>
              {confirmLabel ?? label}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
