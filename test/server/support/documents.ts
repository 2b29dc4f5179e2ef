/** Valid CPF for any n (check digits computed), so tests can make as many customers as they need. */
export function cpf(n: number): string {
  const base = String(100_000_000 + (n % 900_000_000)).slice(-9).split('').map(Number);
  const digit = (digits: number[]) => {
    const sum = digits.reduce((acc, d, i) => acc + d * (digits.length + 1 - i), 0);
    const rest = sum % 11;
    return rest < 2 ? 0 : 11 - rest;
  };
  const first = digit(base);
  return [...base, first, digit([...base, first])].join('');
}

export function customerDoc(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: `cust-${n}`, name: `Cliente ${n}`, taxId: cpf(n), active: true, updatedAt: '2026-11-23T10:00:00.000Z', _deleted: false, ...extra };
}

export function saleDoc(id: string, stationId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    stationId,
    number: 1,
    userId: 'loja1-caixa',
    sellerId: 'loja1-seller-v01',
    createdAt: '2026-11-23T10:00:00.000Z',
    items: [{ productId: 'p-00010', quantity: 2, unitPriceCents: 1000, discountCents: 0, totalCents: 2000 }],
    payments: [{ paymentTypeId: 'loja1-paymentType-dinheiro', amountCents: 2000 }],
    subtotalCents: 2000,
    discountCents: 0,
    totalCents: 2000,
    changeCents: 0,
    status: 'finished',
    _deleted: false,
    ...extra,
  };
}
