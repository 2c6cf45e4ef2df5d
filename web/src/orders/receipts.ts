import type { PurchaseReceipt } from '../api/types';

const receiptKey = (id: string) => `miaosha.receipt.${id}`;

export interface ReceiptExtras {
  productName: string;
  productImageUrl: string | null;
  saleTitle: string;
  holdSeconds: number;
}
export type Remembered = PurchaseReceipt & Partial<ReceiptExtras>;

/**
 * The purchase answer, kept so the order page can show the order before the worker has written it.
 * Its own module: the sale page and the seat picker write it without loading the order page's chunk.
 */
export function rememberReceipt(receipt: PurchaseReceipt, extras?: ReceiptExtras) {
  sessionStorage.setItem(receiptKey(receipt.orderId), JSON.stringify({ ...receipt, ...extras }));
}

export function remembered(id: string): Remembered | null {
  try {
    return JSON.parse(sessionStorage.getItem(receiptKey(id)) ?? 'null');
  } catch {
    return null;
  }
}
