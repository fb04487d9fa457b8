import { describe, expect, it } from 'vitest';
import { formPathsOf } from './orderForm';

describe('formPathsOf', () => {
  it("moves the server's line paths onto the form's, and keeps the rest for the form's message", () => {
    expect(
      formPathsOf({
        'items.0.input.domains.1.domain': ['bright.org is already set up'],
        'items.0.quantity': ['Order it once'],
        email: ['Enter a valid email address'],
        'items.0.productId': ['This product is not on sale.'],
        items: ['One currency per order'],
      }),
    ).toEqual({
      fields: {
        'domains.1.domain': ['bright.org is already set up'],
        quantity: ['Order it once'],
        email: ['Enter a valid email address'],
      },
      general: ['This product is not on sale.', 'One currency per order'],
    });
  });
});
