import { useEffect, useRef, useState } from 'react';
import { OrderUpdates, orderUpdatesUrl, type OrderUpdate, type OrderUpdatesState } from './OrderUpdates';

/**
 * The shopper's order changes while `enabled` (a signed-in page showing an order that can still
 * change); the callbacks may change on every render without reopening the socket.
 */
export function useOrderUpdates(sessionToken: string | undefined, enabled: boolean,
  onSubscribed: () => void, onOrder: (update: OrderUpdate) => void): OrderUpdatesState {
  const [state, setState] = useState<OrderUpdatesState>('connecting');
  const handlers = useRef({ onSubscribed, onOrder });
  handlers.current = { onSubscribed, onOrder };
  useEffect(() => {
    if (!enabled || !sessionToken) {
      setState('closed');
      return;
    }
    const updates = new OrderUpdates({
      url: orderUpdatesUrl(),
      sessionToken,
      onSubscribed: () => handlers.current.onSubscribed(),
      onOrder: (update) => handlers.current.onOrder(update),
      onConnection: setState,
    });
    updates.open();
    return () => updates.close();
  }, [sessionToken, enabled]);
  return state;
}
