/**
 * Brazilian phone numbers as a cashier or back-office clerk types them: "(11) 98765-4321",
 * "11987654321", "+55 11 3456-7890". Valid: area code (DDD, two digits, no zero) and 8 digits
 * (landline, starting 2–5) or 9 digits (mobile, starting 9); an optional +55 in front.
 */
export type PhoneProblem = 'characters' | 'length' | 'areaCode' | 'mobile';

function nationalDigits(value: string): string {
  let digits = value.replace(/\D/g, '');
  if ((digits.length === 12 || digits.length === 13) && digits.startsWith('55')) digits = digits.slice(2);
  return digits;
}

/** Null when the number is fine (or empty: the phone is optional). */
export function phoneProblem(value: string): PhoneProblem | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  if (!/^[\d\s()+.-]+$/.test(trimmed)) return 'characters';
  const digits = nationalDigits(trimmed);
  if (digits.length !== 10 && digits.length !== 11) return 'length';
  if (digits[0] === '0' || digits[1] === '0') return 'areaCode';
  if (digits.length === 11 && digits[2] !== '9') return 'mobile';
  if (digits.length === 10 && !/[2-5]/.test(digits[2]!)) return 'mobile';
  return null;
}

/** "(11) 98765-4321" / "(11) 3456-7890"; anything not valid is returned as typed. */
export function formatPhone(value: string): string {
  if (!value.trim() || phoneProblem(value)) return value;
  const digits = nationalDigits(value);
  const local = digits.slice(2);
  return `(${digits.slice(0, 2)}) ${local.slice(0, local.length - 4)}-${local.slice(-4)}`;
}
