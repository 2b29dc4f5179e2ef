import { useEffect, useState } from 'react';
import { TextInput, type TextInputProps } from '@mantine/core';
import { dayText, parseDay } from './input-parsing.ts';

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
