import { cursorQuery } from '../integration/api-resource.ts';
import { WEBHOOK_PAUSE_CODES } from '../../schema/webhooks.ts';
import { EVENT_DESCRIPTIONS, WEBHOOK_EVENT_TYPES } from './event-types.ts';

const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
const eventType = { type: 'string', enum: [...WEBHOOK_EVENT_TYPES], description: WEBHOOK_EVENT_TYPES.map((type) => `\`${type}\`: ${EVENT_DESCRIPTIONS[type]}`).join(' ') } as const;
const eventTypes = { type: 'array', items: eventType, minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length, uniqueItems: true } as const;
const url = { type: 'string', minLength: 8, maxLength: 2000, description: 'https URL that receives POSTs (public addresses only, unless the server allows local receivers)' } as const;
const stockLevel = { type: ['integer', 'null'], minimum: 1, maximum: 1_000_000_000, description: "stock.below_level: fires when a product's stock goes from at least this to below it (unit's smallest step)" } as const;
const description = { type: 'string', maxLength: 200 } as const;

export const subscriptionId = { type: 'string', minLength: 1, maxLength: 64 } as const;
export const subscriptionParams = { type: 'object', properties: { id: subscriptionId }, required: ['id'] } as const;
export const messageParams = { type: 'object', properties: { id: subscriptionId, messageId: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['id', 'messageId'] } as const;

export const subscriptionView = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    url: { type: 'string' },
    description: { type: 'string' },
    eventTypes: { type: 'array', items: { type: 'string' } },
    stockLevel: { type: ['integer', 'null'] },
    status: { type: 'string', enum: ['active', 'paused'] },
    pausedReason: { type: ['string', 'null'], description: 'Why it is paused (3 days of failed deliveries, a revoked key, or who paused it)' },
    pausedCode: { type: ['string', 'null'], enum: [...WEBHOOK_PAUSE_CODES, null], description: 'Why it is paused, as a code: delivery_failed (3 days of failed deliveries), key_revoked (the key that made it was revoked or expired), manual (a person paused it); null when active' },
    pausedByName: { type: ['string', 'null'], description: 'The name of the person who paused it by hand, else null' },
    pausedAt: nullableDateTime,
    apiKeyId: { type: ['string', 'null'], description: 'The key that made it; null: an admin session' },
    apiKeyName: { type: ['string', 'null'], description: "That key's name, else null" },
    createdBy: { type: 'string', description: 'The user id of who made it (the admin, or the creator of the key)' },
    createdByName: { type: ['string', 'null'], description: "That user's name, null when unknown" },
    createdAt: dateTime,
    updatedAt: dateTime,
    previousSecretUntil: { ...nullableDateTime, description: 'During a rotation: until when the previous secret signs too' },
    pending: { type: 'integer', description: 'Messages waiting to be sent' },
    failed: { type: 'integer', description: 'Messages given up after 3 days (redeliver them)' },
  },
  required: ['id', 'url', 'description', 'eventTypes', 'stockLevel', 'status', 'pausedReason', 'pausedAt', 'apiKeyId', 'createdBy', 'createdAt', 'updatedAt', 'previousSecretUntil', 'pending', 'failed'],
} as const;

export const createBody = {
  type: 'object',
  additionalProperties: false,
  properties: { url, eventTypes, stockLevel, description },
  required: ['url', 'eventTypes'],
} as const;

export const updateBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { url, eventTypes, stockLevel, description, status: { type: 'string', enum: ['active', 'paused'], description: '`paused` stops sending (events still queue); `active` resumes and sends what waited' } },
} as const;

const secret = { type: 'string', description: 'The signing secret (whsec_…, Standard Webhooks): shown only in this answer. Keep it; verify every message with it.' } as const;

export const createdSubscription = {
  type: 'object',
  properties: { subscription: subscriptionView, secret },
  required: ['subscription', 'secret'],
} as const;

export const rotateBody = {
  type: 'object',
  additionalProperties: false,
  properties: { graceSeconds: { type: 'integer', minimum: 0, maximum: 7 * 86_400, default: 86_400, description: 'Seconds the previous secret keeps signing beside the new one (0: stop at once)' } },
} as const;

export const rotatedSecret = {
  type: 'object',
  properties: { secret, previousSecretUntil: nullableDateTime, subscription: subscriptionView },
  required: ['secret', 'previousSecretUntil', 'subscription'],
} as const;

export const listQuery = { type: 'object', properties: { status: { type: 'string', enum: ['active', 'paused'] } } } as const;

const messageView = {
  type: 'object',
  properties: {
    id: { type: 'string', description: 'The webhook-id: the same on every attempt and redelivery; receivers drop duplicates by it' },
    type: { type: 'string' },
    resourceId: { type: 'string' },
    state: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
    attempts: { type: 'integer' },
    createdAt: dateTime,
    nextAttemptAt: nullableDateTime,
    deliveredAt: nullableDateTime,
    lastStatus: { type: ['integer', 'null'] },
    lastError: { type: ['string', 'null'] },
    payload: { type: 'object', additionalProperties: true, description: 'The body as sent: {id, type, timestamp, storeId, resourceId, data}' },
  },
  required: ['id', 'type', 'resourceId', 'state', 'attempts', 'createdAt', 'nextAttemptAt', 'deliveredAt', 'lastStatus', 'lastError', 'payload'],
} as const;
export { messageView };

const limit = { type: 'integer', minimum: 1, maximum: 500, default: 100 } as const;
export const messagesQuery = { type: 'object', properties: { state: { type: 'string', enum: ['pending', 'delivered', 'failed'] }, limit, cursor: cursorQuery } } as const;
export const attemptsQuery = { type: 'object', properties: { messageId: { type: 'string', minLength: 1, maxLength: 64 }, limit, cursor: cursorQuery } } as const;

const page = (key: string, item: unknown) => ({
  type: 'object',
  properties: { [key]: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] }, hasMore: { type: 'boolean' } },
  required: [key, 'nextCursor', 'hasMore'],
});

export const messagesPage = page('messages', messageView);
export const attemptsPage = page('attempts', {
  type: 'object',
  properties: {
    messageId: { type: 'string' },
    type: { type: 'string' },
    attempt: { type: 'integer' },
    at: dateTime,
    durationMs: { type: 'integer', description: 'Milliseconds' },
    statusCode: { type: ['integer', 'null'], description: 'null: no answer (refused, timed out, address refused)' },
    error: { type: ['string', 'null'] },
  },
  required: ['messageId', 'type', 'attempt', 'at', 'durationMs', 'statusCode', 'error'],
});

export const eventTypesAnswer = {
  type: 'array',
  items: {
    type: 'object',
    properties: { type: { type: 'string' }, description: { type: 'string' }, scope: { type: 'string', description: 'The key scope needed to subscribe' } },
    required: ['type', 'description', 'scope'],
  },
} as const;
