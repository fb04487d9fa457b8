import type { CustomerOrder } from '@handover/core';
import { formatMoney } from '@handover/core';
import { PDFDocument, type PDFFont, rgb, StandardFonts } from 'pdf-lib';

export interface InvoiceSeller {
  name: string;
  supportEmail: string | null;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;

/** The standard fonts speak WinAnsi only: anything else (a name in another script) is shown as "?". */
const printable = (text: string) => text.replace(/[^\x20-\x7E\xA0-\xFF€]/g, '?');

/**
 * An order's invoice as a one-page PDF (pdf-lib): who sold, who bought, each line, the total
 * paid, and any refund, so the customer holds the same figures the order page shows.
 */
export async function renderInvoicePdf(
  order: CustomerOrder,
  email: string,
  seller: InvoiceSeller,
): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Invoice ${order.orderCode}`);
  pdf.setAuthor(seller.name);
  const page = pdf.addPage(A4);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let y = A4[1] - MARGIN;
  const write = (
    text: string,
    { font = regular, size = 11, x = MARGIN }: { font?: PDFFont; size?: number; x?: number } = {},
  ) => {
    page.drawText(printable(text), { x, y, size, font, color: rgb(0.1, 0.1, 0.1) });
  };
  const right = (text: string, font: PDFFont = regular, size = 11) => {
    const safe = printable(text);
    page.drawText(safe, { x: A4[0] - MARGIN - font.widthOfTextAtSize(safe, size), y, size, font });
  };
  const line = (gap = 16) => {
    y -= gap;
  };

  write(`Invoice ${order.orderCode}`, { font: bold, size: 20 });
  line(28);
  write(seller.name, { font: bold });
  if (seller.supportEmail) {
    line();
    write(seller.supportEmail);
  }
  line(24);
  write('Billed to', { font: bold });
  line();
  write(email);
  line(24);
  write(`Date: ${order.createdAt.toISOString().slice(0, 10)}`);
  line();
  write(`Status: ${order.status.replace(/_/g, ' ')}`);
  line(28);

  write('Item', { font: bold });
  right('Amount', bold);
  line(6);
  page.drawLine({ start: { x: MARGIN, y }, end: { x: A4[0] - MARGIN, y }, thickness: 0.5 });
  line(16);
  for (const item of order.items) {
    const count = Math.max(item.deliveries.length, item.quantity);
    write(`${item.productName}${count > 1 ? ` x ${count}` : ''}`);
    right(formatMoney(item.unitPriceMinor * count, item.currency));
    line();
  }
  line(6);
  page.drawLine({ start: { x: MARGIN, y }, end: { x: A4[0] - MARGIN, y }, thickness: 0.5 });
  line(18);
  write('Total paid', { font: bold });
  right(formatMoney(order.amountMinor, order.currency), bold);
  for (const refund of order.money.filter((event) => event.kind === 'refund' && event.status === 'succeeded')) {
    line();
    write(`Refunded on ${refund.at.toISOString().slice(0, 10)}`);
    right(`-${formatMoney(refund.amountMinor, refund.currency)}`);
  }
  if (order.refundedMinor > 0) {
    line(18);
    write('Net', { font: bold });
    right(formatMoney(order.amountMinor - order.refundedMinor, order.currency), bold);
  }
  return pdf.save();
}
