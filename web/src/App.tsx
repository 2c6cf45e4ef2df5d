import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout, PageLoading } from './components/Layout';
import { ProblemScreen } from './components/ProblemScreen';
import { useSession } from './store';

// Every route is a chunk of its own: the first visit downloads the framework and the one page it
// opens, not all of them (the admin console and its chart library only for admins who open it).
// The prerendered shell in index.html is on screen until then.
const named = <K extends string>(load: () => Promise<Record<K, React.ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));
const Home = named(() => import('./pages/Home'), 'Home');
const SalePage = named(() => import('./pages/SalePage'), 'SalePage');
const DrawPage = named(() => import('./pages/DrawPage'), 'DrawPage');
const Login = named(() => import('./pages/Auth'), 'Login');
const Signup = named(() => import('./pages/Auth'), 'Signup');
const MyOrders = named(() => import('./pages/OrderPage'), 'MyOrders');
const OrderPage = named(() => import('./pages/OrderPage'), 'OrderPage');
const AdminHome = named(() => import('./admin/AdminHome'), 'AdminHome');
const Dashboard = named(() => import('./admin/Dashboard'), 'Dashboard');
const SaleFormPage = named(() => import('./admin/SaleForm'), 'SaleFormPage');
const VenuesPage = named(() => import('./admin/VenuesPage'), 'VenuesPage');
const SeatedSaleFormPage = named(() => import('./admin/SeatedSaleForm'), 'SeatedSaleFormPage');
const VerifyEmailPage = named(() => import('./account/VerifyEmailPage'), 'VerifyEmailPage');

function RequireSession({ admin = false, children }: { admin?: boolean; children: React.ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  if (admin && session.account.role !== 'admin') {
    return <ProblemScreen problem={{ type: 'forbidden', title: 'Admins only', status: 403, detail: 'This page is for the shop’s administrators.' }} />;
  }
  return <Suspense fallback={<PageLoading />}>{children}</Suspense>;
}

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="sales/:id" element={<SalePage />} />
        <Route path="sales/:id/draw" element={<DrawPage />} />
        <Route path="login" element={<Login />} />
        <Route path="signup" element={<Signup />} />
        <Route path="verify-email" element={<VerifyEmailPage />} />
        <Route path="orders" element={<RequireSession><MyOrders /></RequireSession>} />
        <Route path="orders/:id" element={<RequireSession><OrderPage /></RequireSession>} />
        <Route path="admin" element={<RequireSession admin><AdminHome /></RequireSession>} />
        <Route path="admin/sales/new" element={<RequireSession admin><SaleFormPage /></RequireSession>} />
        <Route path="admin/sales/:id/edit" element={<RequireSession admin><SaleFormPage /></RequireSession>} />
        <Route path="admin/venues" element={<RequireSession admin><VenuesPage /></RequireSession>} />
        <Route path="admin/venues/:id/sales/new" element={<RequireSession admin><SeatedSaleFormPage /></RequireSession>} />
        <Route path="admin/sales/:id" element={<RequireSession admin><Dashboard /></RequireSession>} />
        <Route path="*" element={<ProblemScreen problem={{ type: 'not-found', title: 'Page not found', status: 404, detail: 'There is no page at this address. The link may be old or mistyped.' }} />} />
      </Route>
    </Routes>
  );
}
