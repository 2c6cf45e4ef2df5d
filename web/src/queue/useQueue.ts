import { useCallback, useEffect, useReducer, useRef } from 'react';
import { widgetProof } from './joinProof';
import { QueueConnection, queueUrl } from './QueueConnection';
import { initialQueueState, queueReducer } from './queueState';

const key = (saleId: number) => `miaosha.queue.${saleId}`;

interface Remembered {
  joined: boolean;
  firstAhead: number | null;
  joinedAt?: number | null;
}

/** Whether this tab joined the queue of this sale; survives a reload so the page reconnects on its own. */
export function rememberedQueue(saleId: number): Remembered {
  try {
    return JSON.parse(sessionStorage.getItem(key(saleId)) ?? '') as Remembered;
  } catch {
    return { joined: false, firstAhead: null };
  }
}

function remember(saleId: number, value: Remembered | null) {
  if (value) sessionStorage.setItem(key(saleId), JSON.stringify(value));
  else sessionStorage.removeItem(key(saleId));
}

/** The waiting room of one sale for the logged-in shopper: join, live state, leave. */
export function useQueue(saleId: number, sessionToken: string | undefined) {
  const [state, dispatch] = useReducer(queueReducer, rememberedQueue(saleId), (r) => initialQueueState(r.firstAhead, r.joinedAt ?? null));
  const connection = useRef<QueueConnection | null>(null);
  const joined = useRef(rememberedQueue(saleId).joined);

  const connect = useCallback(() => {
    if (!sessionToken || connection.current) return;
    const c = new QueueConnection({
      url: queueUrl(saleId),
      sessionToken,
      proof: widgetProof(saleId),
      onMessage: (message) => dispatch({ kind: 'message', message, at: Date.now() }),
      onConnection: (value) => dispatch({ kind: 'connection', connection: value }),
    });
    connection.current = c;
    c.open();
  }, [saleId, sessionToken]);

  useEffect(() => {
    if (joined.current) connect();
    return () => {
      connection.current?.close();
      connection.current = null;
    };
  }, [connect]);

  useEffect(() => {
    if (joined.current && state.firstAhead !== null) remember(saleId, { joined: true, firstAhead: state.firstAhead, joinedAt: state.joinedAt });
  }, [saleId, state.firstAhead, state.joinedAt]);

  useEffect(() => {
    if (state.closed) {
      joined.current = false;
      remember(saleId, null);
    }
  }, [saleId, state.closed]);

  const join = useCallback(() => {
    connection.current?.close();
    connection.current = null;
    const at = Date.now();
    dispatch({ kind: 'reset', at });
    joined.current = true;
    remember(saleId, { joined: true, firstAhead: null, joinedAt: at });
    connect();
  }, [saleId, connect]);

  const leave = useCallback(() => {
    joined.current = false;
    remember(saleId, null);
    connection.current?.leave();
    connection.current = null;
  }, [saleId]);

  return { state, joined: joined.current, join, leave };
}
