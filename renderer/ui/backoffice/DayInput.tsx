import { useEffect, useState } from 'react';
import { TextInput, type TextInputProps } from '@mantine/core';
import { isCalendarDate } from '../../../sync/rules/index.ts';

/** DD/MM/AAAA (pt-BR, as the user writes a day) or YYYY-MM-DD → YYYY-MM-DD; null when it is no real day. */
export function parseDay(text: string): string | null {
  const trimmed = text.trim();
  const br = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(trimmed);
  const iso = br ? `${br[3]}-${br[2]!.padStart(2, '0')}-${br[1]!.padStart(2, '0')}` : trimmed;
  return isCalendarDate(iso) ? iso : null;
}

/** YYYY-MM-DD → DD/MM/AAAA. */
export function dayText(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : iso;
}

/**
 * A calendar day typed the Brazilian way (DD/MM/AAAA), whatever the browser's locale (a native date
 * input follows the operating system's, not the user's). `onChange` gets YYYY-MM-DD, or '' while the
 * text is not a real day, so the form can say so.
 */
export function DayInput({ value, onChange, ...props }: Omit<TextInputProps, 'value' | 'onChange'> & { value: string; onChange(day: string): void }) {
  const [text, setText] = useState(dayText(value));
  useEffect(() => {
    if (parseDay(text) !== value && value) setText(dayText(value));
    // Only an outside change of the value rewrites the text; typing must not be interrupted.
  }, [value]);
  return (
    <TextInput
      placeholder="DD/MM/AAAA"
      inputMode="numeric"
      maxLength={10}
      {...props}
      value={text}
      onChange={(event) => {
        setText(event.currentTarget.value);
        onChange(parseDay(event.currentTarget.value) ?? '');
      }}
    />
  );
}
