/** The review link in an approval notification email: group 1 is the execution id, group 2 the webhook id. */
export const REVIEW_LINK = /http:\/\/127\.0\.0\.1:\d+\/webhook-waiting\/(\d+)\/([\w-]+)\?signature=[\w%.-]+/;
