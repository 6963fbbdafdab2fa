/** The route tables: the AgentMail API (/v0) and the sandbox admin API (/_sandbox). */
import { Router } from '../router';
import { adminRoutes } from './admin';
import { draftRoutes } from './drafts';
import { inboxRoutes } from './inboxes';
import { listRoutes } from './lists';
import { messageDraftRoutes } from './messageDrafts';
import { messageRoutes } from './messages';
import { threadRoutes } from './threads';
import { webhookRoutes } from './webhooks';

export const createApiRouter = (): Router => new Router([...inboxRoutes, ...draftRoutes, ...messageRoutes, ...messageDraftRoutes, ...threadRoutes, ...listRoutes, ...webhookRoutes]);
export const createAdminRouter = (): Router => new Router(adminRoutes);
