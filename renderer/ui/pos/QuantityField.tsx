import { useEffect, useState } from 'react';
import { TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { MAX_QUANTITY } from '../../core/pos/quantity.ts';

interface Props {
  value: number;
  /** Lowest quantity accepted: 1 for a cart line, 0 for goods returned in an exchange. */
  min: number;
  /** Highest quantity accepted (default: the most a sale line may carry). */
  max?: number;
  onChange(quantity: number): void;
  'data-testid'?: string;
  'data-product-id'?: string;
  'aria-label'?: string;
}

/**
 * A quantity typed by the cashier. Anything out of bounds or not a whole number says "quantidade
 * inválida" under the field and changes nothing; the message goes as soon as the text is a valid
 * quantity again, or when the field is left (it then shows the quantity in force).
 */
export function QuantityField({ value, min, max = MAX_QUANTITY, onChange, ...rest }: Props) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState(String(value));
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    if (!invalid) setText(String(value));
  }, [value]);

  const accept = (raw: string): number | null => {
    const trimmed = raw.trim();
    if (!/^\d{1,7}$/.test(trimmed)) return null;
    const quantity = Number(trimmed);
    return quantity >= min && quantity <= Math.min(max, MAX_QUANTITY) ? quantity : null;
  };

  return (
    <TextInput
      size="xs"
      inputMode="numeric"
      value={text}
      onChange={(event) => {
        const raw = event.currentTarget.value;
        setText(raw);
        const quantity = accept(raw);
        setInvalid(quantity === null && raw.trim() !== '');
        if (quantity !== null && quantity !== value) onChange(quantity);
      }}
      onBlur={() => {
        setInvalid(false);
        setText(String(value));
      }}
      onFocus={(event) => event.currentTarget.select()}
      error={invalid ? t('pos.sale.invalidQuantity', { min, max: new Intl.NumberFormat(i18n.language).format(Math.min(max, MAX_QUANTITY)) }) : undefined}
      {...rest}
    />
  );
}
