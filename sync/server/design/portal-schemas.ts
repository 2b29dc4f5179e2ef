import { INT4_MAX } from '../../schema/index.ts';

/**
 * What the design portal sends: items of a save (in its events and in a project it describes) and the
 * answers to the store system's calls. The portal is an outside system: its data is checked like a
 * request before anything of it is stored (the server's validator adds its storage rules to these).
 */
export const designItemSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    code: { type: 'string', minLength: 1, maxLength: 58 },
    description: { type: 'string', minLength: 1, maxLength: 200 },
    quantity: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    listPriceCents: { type: 'integer', minimum: 0, maximum: 100_000_000_000 },
    supplier: { type: 'string', minLength: 1, maxLength: 100 },
  },
  required: ['code', 'description', 'quantity', 'listPriceCents'],
} as const;

const portalId = { type: 'string', minLength: 1, maxLength: 64 } as const;
const name = { type: 'string', minLength: 1, maxLength: 200 } as const;
/** Stored in design_links.credential_version (integer). */
export const credentialVersionSchema = { type: 'integer', minimum: 0, maximum: INT4_MAX } as const;

export const portalAnswerSchemas = {
  verifyUser: { type: 'object', properties: { designUserId: portalId, name, credentialVersion: credentialVersionSchema }, required: ['designUserId', 'name', 'credentialVersion'] },
  createProject: { type: 'object', properties: { designProjectId: portalId }, required: ['designProjectId'] },
  createEnvironment: { type: 'object', properties: { designEnvironmentId: portalId }, required: ['designEnvironmentId'] },
  getProject: {
    type: 'object',
    properties: {
      name: { type: 'string', maxLength: 200 },
      environments: {
        type: 'array',
        maxItems: 1000,
        items: {
          type: 'object',
          properties: {
            designEnvironmentId: portalId,
            name,
            latestSave: {
              type: 'object',
              properties: {
                designId: portalId,
                designRevision: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
                optionName: name,
                savedAt: { type: 'string', format: 'date-time' },
                items: { type: 'array', maxItems: 5000, items: designItemSchema },
              },
              required: ['designId', 'designRevision', 'optionName', 'savedAt', 'items'],
            },
          },
          required: ['designEnvironmentId', 'name'],
        },
      },
    },
    required: ['environments'],
  },
} as const;
