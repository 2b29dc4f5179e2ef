import { useEffect, useState } from 'react';
import { TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatUnitQuantity, isMeasuredUnit, parseUnitQuantity, unitSymbol } from '../../../sync/rules/index.ts';
import { MAX_QUANTITY } from '../../core/pos/quantity.ts';

interface Props {
  /** Whole units, or grams/mm/mL for a product sold by KG, M or L (POS-22). */
  value: number;
  /** Lowest quantity accepted (in steps): 1 for a cart line, 0 for goods returned in an exchange. */
  min: number;
  /** Highest quantity accepted, in steps (default: the most a sale line may carry). */
  max?: number;
  /** The product's unit: KG, M and L are typed with up to three decimals ("0,350"). */
  unit?: string;
  onChange(quantity: number): void;
  'data-testid'?: string;
  'data-product-id'?: string;
  'aria-label'?: string;
}

/**
 * A quantity typed by the cashier. Anything out of bounds or not a valid number for the unit says
 * "quantidade inválida" under the field and changes nothing; the message goes as soon as the text is a
 * valid quantity again, or when the field is left (it then shows the quantity in force). Measured goods
 * show and take their quantity in kg, m or L ("0,350"), stored in grams, mm or mL.
 */
export function QuantityField({ value, min, max = MAX_QUANTITY, unit, onChange, ...rest }: Props) {
  const { t, i18n } = useTranslation();
  const measured = isMeasuredUnit(unit);
  const shown = (quantity: number) => (measured ? formatUnitQuantity(quantity, unit, i18n.language) : String(quantity));
  const [text, setText] = useState(shown(value));
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    if (!invalid) setText(shown(value));
  }, [value]);
  const upper = Math.min(max, MAX_QUANTITY);

  const accept = (raw: string): number | null => {
    const trimmed = raw.trim();
    if (measured) {
      // "0" is a valid "nothing returned" for an exchange line (min 0).
      const quantity = /^0+([.,]0*)?$/.test(trimmed) ? 0 : parseUnitQuantity(trimmed, unit);
      return quantity !== null && quantity >= min && quantity <= upper ? quantity : null;
    }
    if (!/^\d{1,7}$/.test(trimmed)) return null;
    const quantity = Number(trimmed);
    return quantity >= min && quantity <= upper ? quantity : null;
  };

  const error = measured
    ? t('pos.sale.invalidMeasure', { unit: unitSymbol(unit), max: formatUnitQuantity(upper, unit, i18n.language) })
    : t('pos.sale.invalidQuantity', { min, max: new Intl.NumberFormat(i18n.language).format(upper) });

  return (
    <TextInput
      size="xs"
      inputMode={measured ? 'decimal' : 'numeric'}
      value={text}
      // The unit is in the field's label for assistive tech; the narrow cart column keeps its width for the digits.
      aria-description={measured ? unitSymbol(unit) : undefined}
      onChange={(event) => {
        const raw = event.currentTarget.value;
        setText(raw);
        const quantity = accept(raw);
        setInvalid(quantity === null && raw.trim() !== '');
        if (quantity !== null && quantity !== value) onChange(quantity);
      }}
      onBlur={() => {
        setInvalid(false);
        setText(shown(value));
      }}
      onFocus={(event) => event.currentTarget.select()}
      error={invalid ? error : undefined}
      data-unit={unit}
      {...rest}
    />
  );
}
