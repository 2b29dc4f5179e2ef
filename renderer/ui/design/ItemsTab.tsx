import { useState } from 'react';
import { ActionIcon, Alert, Badge, Button, Group, NumberInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { DesignBudgetItem, DesignEnvironmentDoc } from '../../../sync/schema/index.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { parseMoney } from '../pos/money.ts';
import { useMoney } from '../pos/use-money.ts';
import { useDesign, useDesignErrorText } from './design-context.tsx';

const ids = TEST_IDS.design.environment;

/**
 * The budget's items marked by origin (DES-06, DES-09): from the design software (replaced by each
 * update) or added by hand (kept). Hand items added here show at once as waiting for the server.
 */
export function ItemsTab({ env }: { env: DesignEnvironmentDoc }) {
  const { t } = useTranslation();
  const { design, actions } = useDesign();
  const money = useMoney();
  const errorText = useDesignErrorText();
  const [description, setDescription] = useState('');
  const [quantity, setQuantity] = useState<number | string>(1);
  const [price, setPrice] = useState('');
  const [error, setError] = useState<string | null>(null);
  // As the server allows: while negotiating and during the review (occurrences negotiate too).
  const editable = env.stage === 'negotiating' || env.stage === 'reviewing';
  const mayAdd = (design?.can('addItem') ?? false) && editable;

  const known = new Set(env.items.map((item) => item.id));
  // The server gives a hand item the id of the addItem action that asked for it.
  const pendingAdds = actions.filter((a) => a.kind === 'addItem' && a.environmentId === env.id && a.item && !known.has(a.id));
  const pendingRemovals = new Set(actions.filter((a) => a.kind === 'removeItem' && a.environmentId === env.id && a.itemId).map((a) => a.itemId!));

  const add = async () => {
    setError(null);
    const cents = parseMoney(price);
    if (cents === null) {
      setError(t('design.items.priceInvalid'));
      return;
    }
    try {
      await design!.addItem(env.id, { description, quantity: Number(quantity), unitPriceCents: cents });
      setDescription('');
      setQuantity(1);
      setPrice('');
    } catch (cause) {
      setError(errorText(cause));
    }
  };

  const row = (item: DesignBudgetItem) => {
    const removing = pendingRemovals.has(item.id);
    return (
      <Table.Tr key={item.id} data-testid={ids.item} data-item-id={item.id} data-origin={item.origin} data-code={item.code ?? ''} data-quantity={item.quantity} data-total-cents={item.totalCents} data-pending={removing ? 'remove' : 'false'} style={{ opacity: removing ? 0.5 : 1 }}>
        <Table.Td>
          <Badge variant="light" color={item.origin === 'design' ? 'blue' : 'orange'}>{t(`design.items.origin.${item.origin}`)}</Badge>
        </Table.Td>
        <Table.Td>{item.code ?? ''}</Table.Td>
        <Table.Td>
          {item.description}
          {item.supplier && <Text size="xs" c="dimmed">{item.supplier}</Text>}
        </Table.Td>
        <Table.Td ta="right">{item.quantity}</Table.Td>
        <Table.Td ta="right">{money(item.unitPriceCents)}</Table.Td>
        <Table.Td ta="right">{item.discountCents ? money(item.discountCents) : ''}</Table.Td>
        <Table.Td ta="right">{money(item.totalCents)}</Table.Td>
        <Table.Td>
          {item.origin === 'manual' && mayAdd && !removing && (
            <ActionIcon variant="subtle" color="red" aria-label={t('design.items.remove')} onClick={() => void design!.removeItem(env.id, item.id).catch((cause: unknown) => setError(errorText(cause)))} data-testid={ids.itemRemove}>
              <IconTrash size={16} />
            </ActionIcon>
          )}
          {removing && <Badge size="xs" color="gray">{t('design.items.removing')}</Badge>}
        </Table.Td>
      </Table.Tr>
    );
  };

  return (
    <Stack gap="sm">
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('design.items.originTitle')}</Table.Th>
            <Table.Th>{t('design.items.code')}</Table.Th>
            <Table.Th>{t('design.items.description')}</Table.Th>
            <Table.Th ta="right">{t('design.items.quantity')}</Table.Th>
            <Table.Th ta="right">{t('design.items.unitPrice')}</Table.Th>
            <Table.Th ta="right">{t('design.items.discount')}</Table.Th>
            <Table.Th ta="right">{t('design.items.total')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {env.items.map(row)}
          {pendingAdds.map((action) => (
            <Table.Tr key={action.id} data-testid={ids.item} data-item-id={action.id} data-origin="manual" data-code="" data-quantity={action.item!.quantity} data-total-cents={action.item!.quantity * action.item!.unitPriceCents} data-pending="add">
              <Table.Td>
                <Badge variant="light" color="orange">{t('design.items.origin.manual')}</Badge>
              </Table.Td>
              <Table.Td />
              <Table.Td>{action.item!.description}</Table.Td>
              <Table.Td ta="right">{action.item!.quantity}</Table.Td>
              <Table.Td ta="right">{money(action.item!.unitPriceCents)}</Table.Td>
              <Table.Td />
              <Table.Td ta="right">{money(action.item!.quantity * action.item!.unitPriceCents)}</Table.Td>
              <Table.Td>
                <Badge size="xs" color="gray">{t('design.items.waiting')}</Badge>
              </Table.Td>
            </Table.Tr>
          ))}
          {env.items.length === 0 && pendingAdds.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={8}>
                <Text size="sm" c="dimmed">{t('design.items.empty')}</Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th colSpan={6} ta="right">{t('design.items.subtotal')}</Table.Th>
            <Table.Th ta="right">{money(env.budget.subtotalCents)}</Table.Th>
            <Table.Th />
          </Table.Tr>
          {env.budget.discountCents > 0 && (
            <Table.Tr>
              <Table.Th colSpan={6} ta="right">{t('design.items.discount')}</Table.Th>
              <Table.Th ta="right">− {money(env.budget.discountCents)}</Table.Th>
              <Table.Th />
            </Table.Tr>
          )}
          <Table.Tr>
            <Table.Th colSpan={6} ta="right">{t('design.items.total')}</Table.Th>
            <Table.Th ta="right" data-testid={ids.total} data-cents={env.budget.totalCents}>{money(env.budget.totalCents)}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Tfoot>
      </Table>
      {mayAdd && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void add();
          }}
        >
          <Group gap="xs" align="flex-end">
            <TextInput label={t('design.items.newDescription')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} data-testid={ids.itemDescription} w={300} />
            <NumberInput label={t('design.items.quantity')} value={quantity} onChange={setQuantity} min={1} allowDecimal={false} data-testid={ids.itemQuantity} w={100} />
            <TextInput label={t('design.items.unitPrice')} placeholder="0,00" value={price} onChange={(e) => setPrice(e.currentTarget.value)} data-testid={ids.itemPrice} w={140} />
            <Button type="submit" variant="default" leftSection={<IconPlus size={16} />} data-testid={ids.itemAdd}>
              {t('design.items.add')}
            </Button>
          </Group>
        </form>
      )}
      {error && <Alert color="red" data-testid={ids.error}>{error}</Alert>}
    </Stack>
  );
}
