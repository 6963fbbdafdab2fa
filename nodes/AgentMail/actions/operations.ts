import * as allowlist from './allowlist';
import * as draft from './draft';
import * as message from './message';
import type { OperationExecute } from './types';

/** resource -> operation -> execute, for the router. */
export const operations: Record<string, Record<string, OperationExecute>> = {
	draft: draft.operations,
	message: message.operations,
	allowlist: allowlist.operations,
};
