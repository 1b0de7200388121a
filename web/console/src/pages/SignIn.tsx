import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Card, Center, Divider, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { signIn } from '../lib/auth';

interface SampleUser {
  label: string;
  roles: string[];
  resellerId?: string;
  token: string;
}

/** トークン + サインイン; with the embedded runtime's development secret, one button per sample user. */
export function SignIn() {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [samples, setSamples] = useState<SampleUser[]>([]);
  const [params] = useSearchParams();
  const navigate = useNavigate();

  useEffect(() => {
    fetch('/dev/sample-tokens', { headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : { items: [] }))
      .then((body: { items?: SampleUser[] }) => setSamples(body.items ?? []))
      .catch(() => setSamples([]));
  }, []);

  const enter = (value: string) => {
    if (!signIn(value)) {
      setError('トークンが正しくないか、有効期限が切れています。');
      return;
    }
    const next = params.get('next');
    navigate(next && next.startsWith('/') && !next.startsWith('/signin') ? next : '/orders', { replace: true });
  };

  return (
    <Center mih="100vh" bg="gray.0">
      <Card withBorder shadow="sm" w={520} p="xl">
        <Stack>
          <Title order={2}>ライセンス販売管理 サインイン</Title>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              enter(token);
            }}
          >
            <Stack>
              <Textarea label="トークン" description="Bearer トークン (JWT) を貼り付けてください" autosize minRows={3} value={token} onChange={(e) => setToken(e.currentTarget.value)} />
              {error ? <Alert color="red">{error}</Alert> : null}
              <Button type="submit">サインイン</Button>
            </Stack>
          </form>
          {samples.length ? (
            <>
              <Divider label="サンプルユーザー（開発用）" />
              <Text size="sm" c="dimmed">
                開発用の秘密鍵で動いている間だけ表示されます。
              </Text>
              <Group gap="xs">
                {samples.map((user) => (
                  <Button key={user.label} variant="light" onClick={() => enter(user.token)}>
                    {user.label}
                  </Button>
                ))}
              </Group>
            </>
          ) : null}
        </Stack>
      </Card>
    </Center>
  );
}
