import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout } from './components/Layout';
import { ProblemScreen } from './components/ProblemScreen';
import { Login, Signup } from './pages/Auth';
import { Home } from './pages/Home';
import { MyOrders, OrderPage } from './pages/OrderPage';
import { SalePage } from './pages/SalePage';
import { useSession } from './store';

// The admin console (and its chart library) loads only for admins who open it.
const AdminHome = lazy(() => import('./admin/AdminHome').then((m) => ({ default: m.AdminHome })));
const Dashboard = lazy(() => import('./admin/Dashboard').then((m) => ({ default: m.Dashboard })));
const SaleFormPage = lazy(() => import('./admin/SaleForm').then((m) => ({ default: m.SaleFormPage })));

function RequireSession({ admin = false, children }: { admin?: boolean; children: React.ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  if (admin && session.account.role !== 'admin') {
    return <ProblemScreen problem={{ type: 'forbidden', title: 'Admins only', status: 403, detail: 'This page is for the shop’s administrators.' }} />;
  }
  return <Suspense fallback={<p>Loading…</p>}>{children}</Suspense>;
}

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="sales/:id" element={<SalePage />} />
        <Route path="login" element={<Login />} />
        <Route path="signup" element={<Signup />} />
        <Route path="orders" element={<RequireSession><MyOrders /></RequireSession>} />
        <Route path="orders/:id" element={<RequireSession><OrderPage /></RequireSession>} />
        <Route path="admin" element={<RequireSession admin><AdminHome /></RequireSession>} />
        <Route path="admin/sales/new" element={<RequireSession admin><SaleFormPage /></RequireSession>} />
        <Route path="admin/sales/:id/edit" element={<RequireSession admin><SaleFormPage /></RequireSession>} />
        <Route path="admin/sales/:id" element={<RequireSession admin><Dashboard /></RequireSession>} />
        <Route path="*" element={<ProblemScreen problem={{ type: 'not-found', title: 'Not found', status: 404, detail: 'There is no page at this address.' }} />} />
      </Route>
    </Routes>
  );
}
