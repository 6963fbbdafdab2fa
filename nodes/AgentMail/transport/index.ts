export { agentMailRequest, isAlreadyDone, CREDENTIAL_TYPE, type AgentMailContext, type AgentMailRequest } from './request';
export { fetchAll, fetchPage, MAX_PAGE_SIZE, type Page, type PageQuery } from './pagination';
export { apiPath, validId, type PathWord, type ValidId } from './paths';
export { agentMailApiError, failedItem, failureOf, toNodeError, type AgentMailFailure } from './errors';
export { idempotencyKey, idempotencyKeyFor } from './idempotency';
export { baseUrlFromCredentials } from './baseUrl';
