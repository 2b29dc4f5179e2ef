/** The seeded demo accounts (see the demo data in the working agreement); printed by `npm start`. */
export function demoCredentialsText(serverUrl: string): string {
  return [
    `  Setup: server ${serverUrl} · store loja1 · station cx01 · pairing code cx01-pair (or cx02 / cx02-pair; each works once per start)`,
    '  Users: caixa/caixa123 (cashier) · projetista/projetista123 (designer) · revisor/revisor123 (reviewer)',
    '         retaguarda/retaguarda123 (back office) · admin/admin123 (admin)',
    '  Second store: loja2 · station cx01 · pairing code loja2-cx01-pair · admin/admin123',
  ].join('\n');
}
