export const ROLES = ['cashier', 'designer', 'reviewer', 'backoffice', 'admin'] as const;
export type Role = (typeof ROLES)[number];
