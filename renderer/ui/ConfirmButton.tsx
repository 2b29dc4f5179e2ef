import { useState, type ReactNode } from 'react';
import { Button, Group, Modal, Text, type ButtonProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { TEST_IDS } from '../test-ids.ts';

interface Props extends ButtonProps {
  /** What happens once the user confirms. */
  onConfirm(): void;
  /** The question: names the action and that it cannot be undone. */
  question: ReactNode;
  /** The confirming button's label (default: the button's own label). */
  confirmLabel?: ReactNode;
  children: ReactNode;
  'data-testid'?: string;
}

/**
 * A button for an action that cannot be undone (cancel a sale, approve a budget, release a contract,
 * finish a review): it first asks, and only "confirm" runs it. Esc or "Voltar" leaves everything as it was.
 */
export function ConfirmButton({ onConfirm, question, confirmLabel, children, color, ...button }: Props) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  return (
    <>
      <Button color={color} {...button} onClick={() => setAsking(true)}>
        {children}
      </Button>
      <Modal opened={asking} onClose={() => setAsking(false)} title={t('confirm.title')} size="sm" centered>
        <div data-testid={TEST_IDS.confirm.dialog}>
          <Text size="sm">{question}</Text>
          <Text size="xs" c="dimmed" mt={4}>{t('confirm.irreversible')}</Text>
          <Group justify="flex-end" mt="md">
            <Button variant="default" onClick={() => setAsking(false)} data-testid={TEST_IDS.confirm.no}>
              {t('confirm.back')}
            </Button>
            <Button
              color={color}
              data-autofocus
              onClick={() => {
                setAsking(false);
                onConfirm();
              }}
              data-testid={TEST_IDS.confirm.yes}
            >
              {confirmLabel ?? children}
            </Button>
          </Group>
        </div>
      </Modal>
    </>
  );
}
