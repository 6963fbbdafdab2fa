import * as allowlist from './allowlist';
import * as draft from './draft';
import * as inbox from './inbox';
import * as message from './message';
import * as thread from './thread';
import type { OperationExecute } from './types';

/** resource -> operation -> execute, for the router. */
export const operations: Record<string, Record<string, OperationExecute>> = {
	draft: draft.operations,
	message: message.operations,
	thread: thread.operations,
	inbox: inbox.operations,
	allowlist: allowlist.operations,
};
