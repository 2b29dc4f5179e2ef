import type { CollectionSchema } from '../json-schema.ts';
import { id, instant, reference, shortText, taxId } from '../common-fields.ts';

/** The 27 federative units (UF) of Brazil. */
export const BRAZIL_UFS = [
  'AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA', 'PB', 'PR', 'PE', 'PI', 'RJ', 'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO',
] as const;
export type BrazilUf = (typeof BRAZIL_UFS)[number];

/**
 * Store customers; keyed in by back office (also offline) and picked at the till (BO-01, POS-09).
 * A customer is never deleted: it is deactivated with a reason (BO-01), and the server refuses that
 * while the customer has open receivables. Contact fields are stored normalised (phone and CEP digits
 * only, e-mail trimmed); sync/rules/contact.ts checks and formats them.
 *
 * Version 1 added phone/e-mail/CEP/UF/address and the deactivation fields (all optional, so the
 * device migrates version-0 documents unchanged).
 */
export const customerSchema = {
  title: 'customers',
  description: 'Store customers; keyed in by back office (also offline) and picked at the till (BO-01, POS-09). Never deleted: deactivated with a reason.',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id,
    name: { ...shortText, minLength: 1 },
    taxId,
    /** Trimmed; checked by isValidEmail (sync/rules/contact.ts). */
    email: { type: 'string', maxLength: 200 },
    /** Digits only: DDD + number (10 or 11 digits), optionally with country code 55. */
    phone: { type: 'string', maxLength: 40 },
    /** Brazilian postal code, 8 digits. */
    cep: { type: 'string', pattern: '^[0-9]{8}$', maxLength: 8 },
    uf: { type: 'string', enum: BRAZIL_UFS, maxLength: 2 },
    address: shortText,
    city: { type: 'string', maxLength: 100 },
    active: { type: 'boolean' },
    /** Required when `active` is false: why the customer was deactivated. */
    deactivationReason: { type: 'string', maxLength: 500 },
    deactivatedAt: instant,
    deactivatedBy: reference,
    /** Device time of the last edit, for display only. */
    updatedAt: instant,
  },
  required: ['id', 'name', 'taxId', 'active', 'updatedAt'],
  indexes: ['taxId'],
} as const satisfies CollectionSchema;

export interface Customer {
  id: string;
  name: string;
  taxId: string;
  email?: string;
  phone?: string;
  cep?: string;
  uf?: BrazilUf;
  address?: string;
  city?: string;
  active: boolean;
  deactivationReason?: string;
  deactivatedAt?: string;
  deactivatedBy?: string;
  updatedAt: string;
}
