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
