import type { IDataObject } from 'n8n-workflow';

/** What every thread operation outputs: the ids and counts a next node needs, and the whole API object. */
export function threadOutput(thread: IDataObject, result: IDataObject = thread): IDataObject {
	return {
		thread_id: thread.thread_id,
		inbox_id: thread.inbox_id ?? null,
		message_count: thread.message_count ?? null,
		subject: thread.subject ?? '',
		result,
	};
}
