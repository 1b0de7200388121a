import { lazy, ReactNode, Suspense } from 'react';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import { Alert, AppShell, Badge, Button, Group, Loader, NavLink as MantineNavLink, Text, Title } from '@mantine/core';
import { isDistributor, roleLabel, signOut, useSession } from './lib/auth';
import { useNotification } from './lib/notify';
import { SignIn } from './pages/SignIn';

// Each screen is its own chunk: the first paint loads the shell and the sign-in page only.
const Orders = lazy(() => import('./pages/Orders'));
const OrderNew = lazy(() => import('./pages/OrderNew'));
const OrderDetail = lazy(() => import('./pages/OrderDetail'));
const Contracts = lazy(() => import('./pages/Contracts'));
const ContractDetail = lazy(() => import('./pages/ContractDetail'));
const Changes = lazy(() => import('./pages/Changes'));
const ChangeDetail = lazy(() => import('./pages/ChangeDetail'));
const Subscriptions = lazy(() => import('./pages/Subscriptions'));
const SubscriptionDetail = lazy(() => import('./pages/SubscriptionDetail'));
const Customers = lazy(() => import('./pages/Customers'));
const CustomerNew = lazy(() => import('./pages/CustomerNew'));
const CustomerDetail = lazy(() => import('./pages/CustomerDetail'));
const Invoices = lazy(() => import('./pages/Invoices'));
const InvoiceDetail = lazy(() => import('./pages/InvoiceDetail'));
const Billing = lazy(() => import('./pages/Billing'));
const Operations = lazy(() => import('./pages/Operations'));

const NAV: { to: string; label: string; distributorOnly?: boolean }[] = [
  { to: '/orders', label: '注文一覧' },
  { to: '/orders/new', label: '注文作成' },
  { to: '/contracts', label: '契約一覧' },
  { to: '/contract-changes', label: '契約変更一覧' },
  { to: '/subscriptions', label: 'プロビジョニング' },
  { to: '/customers', label: '販売先' },
  { to: '/invoices', label: '請求書一覧' },
  { to: '/billing', label: '請求処理', distributorOnly: true },
  { to: '/operations', label: '運用', distributorOnly: true },
];

export function App() {
  const session = useSession();
  const location = useLocation();
  if (!session) {
    return location.pathname === '/signin' ? <SignIn /> : <Navigate to={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  const distributor = isDistributor(session);
  const only = (element: ReactNode) => (distributor ? element : <Alert color="yellow">この画面はディストリビューターのみ利用できます。</Alert>);
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: 'sm' }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={4}>ライセンス販売管理</Title>
          <Group gap="sm">
            <Text size="sm" data-testid="signed-in-as">
              {session.name}
            </Text>
            {session.roles.map((role) => (
              <Badge key={role} variant="outline">
                {roleLabel(role)}
              </Badge>
            ))}
            {session.resellerId ? <Badge variant="dot">{session.resellerId}</Badge> : null}
            <Button size="xs" variant="default" onClick={signOut}>
              サインアウト
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav">
        {NAV.filter((item) => !item.distributorOnly || distributor).map((item) => (
          <MantineNavLink key={item.to} component={NavLink} to={item.to} end label={item.label} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Notice />
        <Suspense fallback={<Loader />}>
          <Routes>
            <Route path="/" element={<Navigate to="/orders" replace />} />
            <Route path="/signin" element={<Navigate to="/orders" replace />} />
            <Route path="/orders" element={<Orders />} />
            <Route path="/orders/new" element={<OrderNew />} />
            <Route path="/orders/:id" element={<OrderDetail />} />
            <Route path="/contracts" element={<Contracts />} />
            <Route path="/contracts/:id" element={<ContractDetail />} />
            <Route path="/contract-changes" element={<Changes />} />
            <Route path="/contract-changes/:id" element={<ChangeDetail />} />
            <Route path="/subscriptions" element={<Subscriptions />} />
            <Route path="/subscriptions/:id" element={<SubscriptionDetail />} />
            <Route path="/customers" element={<Customers />} />
            <Route path="/customers/new" element={<CustomerNew />} />
            <Route path="/customers/:id" element={<CustomerDetail />} />
            <Route path="/invoices" element={<Invoices />} />
            <Route path="/invoices/:id" element={<InvoiceDetail />} />
            <Route path="/billing" element={only(<Billing />)} />
            <Route path="/operations" element={only(<Operations />)} />
            <Route path="*" element={<Alert color="yellow">ページが見つかりません。</Alert>} />
          </Routes>
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}

function Notice() {
  const message = useNotification();
  return message ? (
    <Alert color="green" mb="sm" role="status" className="no-print">
      {message.text}
    </Alert>
  ) : null;
}
