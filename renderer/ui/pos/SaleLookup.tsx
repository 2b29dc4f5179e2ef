import { useState } from 'react';
import { Button, Group, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Sale } from '../../../sync/schema/index.ts';
import { usePosContext } from './pos-context.tsx';

/** Finds a sale of this station by its receipt number (or id); Enter searches. */
export function SaleLookup({ label, inputTestId, buttonTestId, onFound }: { label: string; inputTestId: string; buttonTestId: string; onFound(sale: Sale | null): void }) {
  const { t } = useTranslation();
  const { pos } = usePosContext();
  const [text, setText] = useState('');
  const find = async () => onFound(pos ? await pos.findSale(text) : null);
  return (
    <Group align="end">
      <TextInput
        label={label}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void find();
          }
        }}
        data-testid={inputTestId}
        autoFocus
        w={260}
      />
      <Button variant="default" onClick={() => void find()} data-testid={buttonTestId}>
        {t('pos.cancel.findButton')}
      </Button>
    </Group>
  );
}
