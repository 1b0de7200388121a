import { Alert } from '@mantine/core';
import { Problem } from '../lib/messages';

/** A refusal in words: the seed's sentence for its code, else the server's title; with the code for support. */
export function ProblemAlert({ problem, onClose }: { problem: Problem | undefined | null; onClose?: () => void }) {
  if (!problem) return null;
  return (
    <Alert color="red" role="alert" title={problem.message} withCloseButton={!!onClose} onClose={onClose} data-testid="problem">
      {problem.body.code ? `(${problem.body.code})` : null}
      {problem.body.errors?.length ? (
        <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
          {problem.body.errors.map((error) => (
            <li key={`${error.path}:${error.message}`}>
              {error.path}: {error.message}
            </li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}
