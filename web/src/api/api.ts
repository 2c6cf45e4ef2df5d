import { createApi, fetchBaseQuery, type BaseQueryFn, type FetchArgs } from '@reduxjs/toolkit/query/react';
import { toProblem, type Problem } from './problem';
import { loggedOut, type SessionState } from './session';
import type {
  Account, Draw, EmailConfirmed, Order, PaymentReceipt, Product, ProductInput, PurchaseReceipt, QueueView, Sale, SaleStats, SaleTerms, SeatedSaleTerms,
  SeatLayout, SeatMapSnapshot, SeatPickBody, SeatPickReceipt, Session, Venue, VenueInput,
} from './types';

const raw = fetchBaseQuery({
  baseUrl: '/api',
  prepareHeaders: (headers, { getState }) => {
    const token = (getState() as { session: SessionState }).session.current?.token;
    if (token && !headers.has('Authorization')) headers.set('Authorization', `Bearer ${token}`);
    return headers;
  },
});

/** Every error becomes a Problem; a refused session token logs the shopper out. */
const baseQuery: BaseQueryFn<string | FetchArgs, unknown, Problem> = async (args, api, extra) => {
  const result = await raw(args, api, extra);
  if (!result.error) return { data: result.data, meta: result.meta };
  const problem = toProblem(result.error, result.meta?.response?.headers.get('Retry-After'));
  const hadSession = (api.getState() as { session: SessionState }).session.current !== null;
  if (problem.status === 401 && hadSession && !String(typeof args === 'string' ? args : args.url).startsWith('/auth/')) {
    api.dispatch(loggedOut());
  }
  return { error: problem, meta: result.meta };
};

export interface PurchaseArgs {
  saleId: number;
  quantity: number;
  admissionToken?: string;
  idempotencyKey: string;
}

export const api = createApi({
  reducerPath: 'api',
  baseQuery,
  tagTypes: ['Sale', 'Product', 'Order', 'Venue'],
  endpoints: (build) => ({
    logIn: build.mutation<Session, { email: string; password: string }>({
      query: (body) => ({ url: '/auth/login', method: 'POST', body }),
    }),
    signUp: build.mutation<Account, { email: string; password: string }>({
      query: (body) => ({ url: '/auth/signup', method: 'POST', body }),
    }),
    verifyEmail: build.mutation<EmailConfirmed, { token: string }>({
      query: (body) => ({ url: '/account/verify-email', method: 'POST', body }),
    }),
    resendVerification: build.mutation<{ expiresAt: string }, void>({
      query: () => ({ url: '/account/verify-email/resend', method: 'POST' }),
    }),
    sales: build.query<Sale[], void>({ query: () => '/sales', providesTags: ['Sale'] }),
    sale: build.query<Sale, number>({ query: (id) => `/sales/${id}`, providesTags: (_r, _e, id) => [{ type: 'Sale', id }] }),
    draw: build.query<Draw, number>({ query: (id) => `/sales/${id}/draw` }),
    purchase: build.mutation<PurchaseReceipt, PurchaseArgs>({
      query: ({ saleId, quantity, admissionToken, idempotencyKey }) => ({
        url: `/sales/${saleId}/purchase`,
        method: 'POST',
        body: { quantity },
        headers: {
          'Idempotency-Key': idempotencyKey,
          ...(admissionToken ? { 'Admission-Token': admissionToken } : {}),
        },
      }),
      invalidatesTags: ['Order'],
    }),
    // A seated sale's layout never changes: read once per page. A unit sale answers 409 not-seated.
    seatLayout: build.query<SeatLayout, number>({ query: (id) => `/sales/${id}/seats`, keepUnusedDataFor: 600 }),
    seatMap: build.query<SeatMapSnapshot, number>({ query: (id) => `/sales/${id}/seats/map` }),
    pickSeats: build.mutation<SeatPickReceipt, { saleId: number; body: SeatPickBody; admissionToken?: string; idempotencyKey: string }>({
      query: ({ saleId, body, admissionToken, idempotencyKey }) => ({
        url: `/sales/${saleId}/seats/pick`,
        method: 'POST',
        body,
        headers: { 'Idempotency-Key': idempotencyKey, ...(admissionToken ? { 'Admission-Token': admissionToken } : {}) },
      }),
      invalidatesTags: ['Order'],
    }),
    payOrder: build.mutation<PaymentReceipt, { orderId: string; cardNumber: string; idempotencyKey: string }>({
      query: ({ orderId, cardNumber, idempotencyKey }) => ({
        url: `/orders/${orderId}/pay`, method: 'POST', body: { cardNumber }, headers: { 'Idempotency-Key': idempotencyKey },
      }),
      invalidatesTags: (_r, _e, { orderId }) => [{ type: 'Order', id: orderId }, 'Order'],
    }),
    order: build.query<Order, string>({ query: (id) => `/orders/${id}`, providesTags: (_r, _e, id) => [{ type: 'Order', id }] }),
    myOrders: build.query<Order[], void>({ query: () => '/me/orders', providesTags: ['Order'] }),

    products: build.query<Product[], void>({ query: () => '/admin/products', providesTags: ['Product'] }),
    createProduct: build.mutation<{ id: number }, ProductInput>({
      query: (body) => ({ url: '/admin/products', method: 'POST', body }),
      invalidatesTags: ['Product'],
    }),
    updateProduct: build.mutation<{ id: number }, { id: number; body: ProductInput }>({
      query: ({ id, body }) => ({ url: `/admin/products/${id}`, method: 'PUT', body }),
      invalidatesTags: ['Product', 'Sale'],
    }),
    createSale: build.mutation<Sale, SaleTerms>({
      query: (body) => ({ url: '/admin/sales', method: 'POST', body }),
      invalidatesTags: ['Sale'],
    }),
    updateSale: build.mutation<Sale, { id: number; body: SaleTerms }>({
      query: ({ id, body }) => ({ url: `/admin/sales/${id}`, method: 'PUT', body }),
      invalidatesTags: ['Sale'],
    }),
    cancelSale: build.mutation<Sale, number>({
      query: (id) => ({ url: `/admin/sales/${id}/cancel`, method: 'POST' }),
      invalidatesTags: ['Sale'],
    }),
    armSale: build.mutation<Sale, number>({
      query: (id) => ({ url: `/admin/sales/${id}/arm`, method: 'POST' }),
      invalidatesTags: ['Sale'],
    }),
    venues: build.query<Venue[], void>({ query: () => '/admin/venues', providesTags: ['Venue'] }),
    // The list names venues and their seat counts; one venue's areas come with it alone.
    venue: build.query<Venue, number>({ query: (id) => `/admin/venues/${id}`, providesTags: ['Venue'] }),
    createVenue: build.mutation<Venue, VenueInput>({
      query: (body) => ({ url: '/admin/venues', method: 'POST', body }),
      invalidatesTags: ['Venue'],
    }),
    createSeatedSale: build.mutation<Sale, { venueId: number; body: SeatedSaleTerms }>({
      query: ({ venueId, body }) => ({ url: `/admin/venues/${venueId}/sales`, method: 'POST', body }),
      invalidatesTags: ['Sale'],
    }),
    saleStats: build.query<SaleStats, number>({ query: (id) => `/admin/sales/${id}/stats` }),
    saleQueue: build.query<QueueView, number>({ query: (id) => `/admin/sales/${id}/queue` }),
  }),
});

export const {
  useLogInMutation, useSignUpMutation, useVerifyEmailMutation, useResendVerificationMutation, useSalesQuery, useSaleQuery, useDrawQuery, usePurchaseMutation, usePayOrderMutation, useOrderQuery,
  useMyOrdersQuery, useProductsQuery, useCreateProductMutation, useUpdateProductMutation, useCreateSaleMutation,
  useUpdateSaleMutation, useCancelSaleMutation, useArmSaleMutation, useSaleStatsQuery, useSaleQueueQuery, useSeatLayoutQuery,
  useLazySeatMapQuery, usePickSeatsMutation, useVenuesQuery, useVenueQuery, useCreateVenueMutation, useCreateSeatedSaleMutation,
} = api;
