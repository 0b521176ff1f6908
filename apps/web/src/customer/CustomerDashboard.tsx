import { useSignedInSession } from '../auth/use-session';
import { orderKeys } from '../orders/order-queries';
import { useLiveOrders } from '../realtime/use-live-orders';
import { AppShell } from '../ui/AppShell';
import { MyOrders } from './MyOrders';
import { PlaceOrderForm } from './PlaceOrderForm';

export function CustomerDashboard() {
  const { session } = useSignedInSession();
  const connection = useLiveOrders(orderKeys.mine(session.user.id));
  return (
    <AppShell nav={[]} connection={connection}>
      <div className="customer-grid">
        <PlaceOrderForm />
        <MyOrders />
      </div>
    </AppShell>
  );
}
