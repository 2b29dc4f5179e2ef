import { useEffect, useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ClosingLine, TillLine } from '../../../sync/rules/index.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';
import { parseMoney } from './money.ts';
import { usePosContext, usePosErrorText } from './pos-context.tsx';
import { useDateTime, useMoney } from './use-money.ts';

const ids = TEST_IDS.pos.closing;

/**
 * Closing the till (POS-19): what the till expects per payment type, what the cashier counted, the
 * difference, and a closing report to print.
 */
export function TillClosing({ onClosed, onReportClosed }: { onClosed(): void; onReportClosed(): void }) {
  const { t } = useTranslation();
  const core = useCore();
  const { pos, catalog } = usePosContext();
  const money = useMoney();
  const dateTime = useDateTime();
  const errorText = usePosErrorText();
  const [expected, setExpected] = useState<TillLine[]>([]);
  const [counted, setCounted] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<{ lines: ClosingLine[]; at: string } | null>(null);
  useEffect(() => {
    void pos?.tillExpected().then(setExpected);
  }, [pos]);

  const name = (id: string) => catalog.byId.get(id)?.name ?? id;
  const countedOf = (id: string) => (counted[id]?.trim() ? parseMoney(counted[id]!) : 0);
  const close = async () => {
    if (!pos) return;
    const values = new Map<string, number>();
    for (const line of expected) {
      const cents = countedOf(line.paymentTypeId);
      if (cents === null) {
        setError(t('pos.payment.invalidAmount'));
        return;
      }
      values.set(line.paymentTypeId, cents);
    }
    // Said before the write: the till closes with it, and this panel must stay for its report.
    onClosed();
    try {
      const lines = await pos.closeTill(values);
      setReport({ lines, at: new Date().toISOString() });
    } catch (e) {
      setError(errorText(e));
      onReportClosed();
    }
  };

  const total = (pick: (line: ClosingLine) => number) => (report ? report.lines.reduce((sum, line) => sum + pick(line), 0) : 0);
  return (
    <Stack gap="xs" data-testid={ids.panel}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('pos.closing.type')}</Table.Th>
            <Table.Th ta="right">{t('pos.closing.expected')}</Table.Th>
            <Table.Th w={160}>{t('pos.closing.counted')}</Table.Th>
            <Table.Th ta="right">{t('pos.closing.difference')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {expected.map((line) => {
            const cents = countedOf(line.paymentTypeId);
            return (
              <Table.Tr key={line.paymentTypeId} data-testid={ids.row} data-payment-type-id={line.paymentTypeId} data-expected-cents={line.expectedCents}>
                <Table.Td>{name(line.paymentTypeId)}</Table.Td>
                <Table.Td ta="right">{money(line.expectedCents)}</Table.Td>
                <Table.Td>
                  <TextInput size="xs" inputMode="decimal" value={counted[line.paymentTypeId] ?? ''} onChange={(e) => setCounted({ ...counted, [line.paymentTypeId]: e.currentTarget.value })} data-testid={ids.counted} data-payment-type-id={line.paymentTypeId} />
                </Table.Td>
                <Table.Td ta="right" c={cents !== null && cents - line.expectedCents < 0 ? 'red' : undefined}>{cents === null ? '' : money(cents - line.expectedCents)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {error && <Alert color="red">{error}</Alert>}
      <Group>
        <Button color="dark" onClick={() => void close()} data-testid={ids.close}>{t('pos.closing.close')}</Button>
      </Group>
      <Modal
        opened={!!report}
        onClose={() => {
          setReport(null);
          onReportClosed();
        }}
        title={t('pos.closing.reportTitle')} size="md">
        {report && (
          <Stack gap={4} data-testid={ids.report}>
            <Text ff="monospace" fz="sm">{core.state.settings.storeName} · {core.state.settings.stationName}</Text>
            <Text ff="monospace" fz="sm">{t('pos.closing.reportAt', { at: dateTime(report.at) })}</Text>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('pos.closing.type')}</Table.Th>
                  <Table.Th ta="right">{t('pos.closing.expected')}</Table.Th>
                  <Table.Th ta="right">{t('pos.closing.counted')}</Table.Th>
                  <Table.Th ta="right">{t('pos.closing.difference')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.lines.map((line) => (
                  <Table.Tr key={line.paymentTypeId} data-testid={ids.reportRow} data-payment-type-id={line.paymentTypeId} data-difference-cents={line.differenceCents}>
                    <Table.Td>{name(line.paymentTypeId)}</Table.Td>
                    <Table.Td ta="right">{money(line.expectedCents)}</Table.Td>
                    <Table.Td ta="right">{money(line.countedCents)}</Table.Td>
                    <Table.Td ta="right">{money(line.differenceCents)}</Table.Td>
                  </Table.Tr>
                ))}
                <Table.Tr>
                  <Table.Td fw={700}>{t('pos.sale.total')}</Table.Td>
                  <Table.Td ta="right" fw={700}>{money(total((l) => l.expectedCents))}</Table.Td>
                  <Table.Td ta="right" fw={700}>{money(total((l) => l.countedCents))}</Table.Td>
                  <Table.Td ta="right" fw={700}>{money(total((l) => l.differenceCents))}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
            <Title order={6}>{t('pos.closing.signature')}</Title>
            <Group mt="sm">
              <Button onClick={() => window.print()} data-testid={ids.print}>{t('pos.receipt.print')}</Button>
              <Button
                variant="default"
                onClick={() => {
                  setReport(null);
                  onReportClosed();
                }}
                data-testid={ids.reportClose}
              >
                {t('common.close')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
