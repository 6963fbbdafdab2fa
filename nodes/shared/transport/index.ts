export { agentMailRequest, isAlreadyDone, CREDENTIAL_TYPE, type AgentMailContext, type AgentMailRequest } from './request';
export { fetchAll, fetchPage, fetchPages, MAX_PAGE_SIZE, type Page, type PageQuery } from './pagination';
export { apiPath, validId, type PathWord, type ValidId } from './paths';
export { agentMailApiError, failedItem, failureOf, toNodeError, type AgentMailFailure } from './errors';
export { idempotencyKey, idempotencyKeyFor } from './idempotency';
export { baseUrlFromCredentials } from './baseUrl';
export { configureSession, DEFAULT_RETRY_BUDGET_MS, sessionOf, type AgentMailSession } from './session';
export { downloadUrl, type Download } from './download';
export { ItemSlots, useItemSlots, waitForItemSlot } from './itemSlots';
