import { useEffect, useState } from 'react';
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CartLine } from '../../../sync/rules/index.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { centsToInput, parseMoney } from './money.ts';

const ids = TEST_IDS.pos.adjust;

/**
 * A manual discount or a typed price for one cart line (POS-20). Either needs a supervisor when the
 * sale is paid, within the store's bound; an empty field removes the adjustment.
 */
export function LineAdjust({ line, name, listPriceText, onSave, onClose }: { line: CartLine | null; name: string; listPriceText: string; onSave(line: CartLine): void; onClose(): void }) {
  const { t } = useTranslation();
  const [discount, setDiscount] = useState('');
  const [price, setPrice] = useState('');
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    setDiscount(line?.manualDiscountCents ? centsToInput(line.manualDiscountCents) : '');
    setPrice(line?.priceOverrideCents !== undefined ? centsToInput(line.priceOverrideCents) : '');
    setInvalid(false);
  }, [line]);

  const save = () => {
    if (!line) return;
    const discountCents = discount.trim() ? parseMoney(discount) : 0;
    const priceCents = price.trim() ? parseMoney(price) : undefined;
    if (discountCents === null || priceCents === null) {
      setInvalid(true);
      return;
    }
    const { manualDiscountCents: _d, priceOverrideCents: _p, ...rest } = line;
    onSave({ ...rest, ...(discountCents > 0 ? { manualDiscountCents: discountCents } : {}), ...(priceCents !== undefined ? { priceOverrideCents: priceCents } : {}) });
  };

  return (
    <Modal opened={!!line} onClose={onClose} title={t('pos.adjust.title')} size="sm">
      <Stack gap="sm" data-testid={ids.dialog}>
        <Text size="sm" fw={600}>{name}</Text>
        <Text size="xs" c="dimmed">{t('pos.adjust.hint', { price: listPriceText })}</Text>
        <TextInput label={t('pos.adjust.discount')} value={discount} onChange={(e) => setDiscount(e.currentTarget.value)} inputMode="decimal" data-testid={ids.discount} />
        <TextInput label={t('pos.adjust.price')} value={price} onChange={(e) => setPrice(e.currentTarget.value)} inputMode="decimal" data-testid={ids.price} />
        {invalid && <Text c="red" size="sm">{t('pos.payment.invalidAmount')}</Text>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button onClick={save} data-testid={ids.save}>{t('common.save')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
