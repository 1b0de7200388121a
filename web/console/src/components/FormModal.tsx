import { ReactNode, useState } from 'react';
import { Button, Group, Modal, Stack } from '@mantine/core';
import { Problem } from '../lib/messages';
import { notifications } from '../lib/notify';
import { ProblemAlert } from './ProblemAlert';

/**
 * A button opening a dialog with a form; the form's fields get the 400's errors by path (fieldErrors),
 * anything else shows above the buttons.
 */
export function FormModal(props: {
  label: string;
  title?: string;
  submitLabel?: string;
  done?: string;
  size?: string;
  buttonVariant?: string;
  disabled?: boolean;
  children: (errors: Record<string, string>) => ReactNode;
  submit: () => Promise<unknown>;
  onDone?: (result: unknown) => void;
  onOpen?: () => void;
}) {
  const [opened, setOpened] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const run = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const result = await props.submit();
      setOpened(false);
      notifications.show(props.done ?? `${props.label}が完了しました。`);
      props.onDone?.(result);
    } catch (caught) {
      setProblem(caught instanceof Problem ? caught : new Problem(0, { title: String(caught) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button
        variant={props.buttonVariant}
        disabled={props.disabled}
        onClick={() => {
          setProblem(undefined);
          props.onOpen?.();
          setOpened(true);
        }}
      >
        {props.label}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={props.title ?? props.label} size={props.size ?? 'lg'} centered>
        <Stack>
          {props.children(problem?.fieldErrors() ?? {})}
          <ProblemAlert problem={problem} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              戻る
            </Button>
            <Button loading={busy} onClick={() => void run()}>
              {props.submitLabel ?? '保存'}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
