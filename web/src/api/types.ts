export type SaleStatus = 'UPCOMING' | 'LIVE' | 'SOLD_OUT' | 'ENDED' | 'CANCELLED';

export interface Sale {
  id: number;
  title: string;
  product: { id: number; name: string; description: string; imageUrl: string | null };
  price: { amountMinor: number; currency: string };
  stock: number;
  unitsLeft: number;
  status: SaleStatus;
  opensAt: string;
  closesAt: string;
  perUserLimit: number;
  queueCapacity: number;
  /** Whether buying needs admission through the waiting room (absent from APIs before the queue). */
  queueEnabled?: boolean;
  windowSeconds: number;
  holdSeconds: number;
  /** When entries to the pre-opening draw open (a set time before opening); null without a waiting room. */
  drawEntriesOpenAt?: string | null;
  /** Only accounts with a confirmed email may join and buy (absent from APIs before email verification). */
  verifiedEmailOnly?: boolean;
  /** Sold as seats picked from a venue's layout (GET /api/sales/{id}/seats); absent from APIs before this field. */
  seated?: boolean;
}

/** GET /api/sales/{id}/draw: the pre-opening draw; the seed and the ordered entrants once the sale opened. */
export interface Draw {
  saleId: number;
  commitment: string;
  revealAt: string;
  seed: string | null;
  entrants: string[] | null;
  function: string;
}

export interface Account {
  id: number;
  email: string;
  role: 'shopper' | 'admin';
  createdAt: string;
  /** Whether the account confirmed its email (absent from APIs before email verification: read as no). */
  emailVerified?: boolean;
  emailVerifiedAt?: string | null;
}

/** POST /api/account/verify-email: the confirmed account, and a fresh session when the caller was logged in as it. */
export interface EmailConfirmed {
  account: Account;
  session?: Session;
}

export interface Session {
  token: string;
  expiresAt: string;
  account: Account;
}

export interface PurchaseReceipt {
  orderId: string;
  /** The code a person reads out ("2E3F-4A5B"), as the email shows it. */
  shortCode: string;
  saleId: number;
  status: string;
  quantity: number;
  payBy: string;
}

export interface PaymentReceipt {
  orderId: string;
  status: string;
  paymentId: string;
  amountMinor: number;
  currency: string;
}

export interface Order {
  id: string;
  /** The code a person reads out ("2E3F-4A5B"), as the email shows it. */
  shortCode: string;
  saleId: number;
  userId: number;
  quantity: number;
  unitPriceMinor: number;
  totalMinor: number;
  currency: string;
  status: string;
  payBy: string;
  createdAt: string;
  /** The sale's title and its product, so an order reads "Runner 42", not "sale 60" (null if the sale is gone). */
  saleTitle: string | null;
  productName: string | null;
  productImageUrl: string | null;
  /** A seated order's seats ("Stalls row A seat 3"); empty for units (absent from APIs before seats). */
  seats?: string[];
}

export interface Product {
  id: number;
  sku: string;
  name: string;
  description: string;
  imageUrl: string;
}

export interface ProductInput {
  sku: string;
  name: string;
  description?: string;
  imageUrl?: string | null;
}

export interface SaleTerms {
  productId: number;
  title: string;
  priceMinor: number;
  currency: string;
  stock: number;
  opensAt: string;
  closesAt: string;
  perUserLimit: number;
  queueCapacity: number;
  windowSeconds?: number;
  holdSeconds?: number;
  queueEnabled?: boolean;
  verifiedEmailOnly?: boolean;
}

export interface SaleStats {
  saleId: number;
  title: string;
  status: SaleStatus;
  stock: number;
  unitsLeft: number;
  unitsHeld: number;
  unitsSold: number;
  ordersAccepted: number;
  /** Shoppers the waiting room let in so far (again after a window ended counts again); 0 without one. */
  admitted: number;
  latestOrders: { id: string; userId: number; quantity: number; totalMinor: number; currency: string; status: string; createdAt: string }[];
  at: string;
}

export interface QueueView {
  saleId: number;
  queueLength: number;
  inside: number;
  capacity: number;
  admittedPerMinute: number;
  oldestWaitSeconds: number;
}

/** GET /api/sales/{id}/seats: a seated sale's venue, the seats as columns indexed by position. */
export interface SeatLayout {
  saleId: number;
  venueId: number;
  currency: string;
  areas: { ordinal: number; name: string; priceTier: string; priceMinor: number; firstPosition: number; seatCount: number }[];
  seats: { id: number[]; area: number[]; row: string[]; label: string[]; x: number[]; y: number[] };
}

/** GET /api/sales/{id}/seats/map: one character per position, '0' free, '1' held, '2' sold. */
export interface SeatMapSnapshot {
  saleId: number;
  states: string;
  lastChangeId: string | null;
}

export type SeatPickBody = { seats: number[] } | { area: string; count: number };

export interface SeatPickReceipt {
  orderId: string;
  shortCode: string;
  saleId: number;
  status: string;
  quantity: number;
  payBy: string;
  amountMinor: number;
  currency: string;
  seats: { id: number; position: number; area: string; row: string; seat: string; x: number; y: number; priceMinor: number }[];
}

export interface Venue {
  id: number;
  name: string;
  seatCount: number;
  areas: { id: number; ordinal: number; name: string; priceTier: string; rows: number; seats: number }[];
}

export interface VenueInput {
  name: string;
  areas: { name: string; priceTier?: string; rows?: number; seatsPerRow?: number }[];
  seats?: { area: string; row: string; seat: string; x: number; y: number }[];
}

export interface SeatedSaleTerms {
  productId: number;
  title: string;
  currency: string;
  opensAt: string;
  closesAt: string;
  areaPrices: Record<string, number>;
  seatLimit: number;
  queueCapacity?: number;
  windowSeconds?: number;
  holdSeconds?: number;
  queueEnabled?: boolean;
}
