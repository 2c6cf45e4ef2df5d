import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Session } from './types';

const KEY = 'miaosha.session';

export interface SessionState {
  current: Session | null;
}

/** The session survives a reload (localStorage) until it expires or the shopper logs out. */
export function loadSession(now = Date.now()): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    if (!session.token || Date.parse(session.expiresAt) <= now) {
      localStorage.removeItem(KEY);
      return null;
    }
    return session;
  } catch {
    return null;
  }
}

const sessionSlice = createSlice({
  name: 'session',
  initialState: (): SessionState => ({ current: loadSession() }),
  reducers: {
    loggedIn(state, action: PayloadAction<Session>) {
      state.current = action.payload;
      localStorage.setItem(KEY, JSON.stringify(action.payload));
    },
    loggedOut(state) {
      state.current = null;
      localStorage.removeItem(KEY);
    },
  },
});

export const { loggedIn, loggedOut } = sessionSlice.actions;
export const sessionReducer = sessionSlice.reducer;
