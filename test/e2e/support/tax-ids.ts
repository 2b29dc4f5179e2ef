import { withCpfCheckDigits } from '../../../sync/rules/index.ts';

/** A valid CPF that differs on every call, so reruns never collide with the seeded customers. */
export function randomCpf(): string {
  for (;;) {
    const base = Array.from({ length: 9 }, () => Math.floor(Math.random() * 10)).join('');
    if (!/^(\d)\1{8}$/.test(base)) return withCpfCheckDigits(base);
  }
}
