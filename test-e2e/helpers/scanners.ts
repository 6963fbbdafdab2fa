/** User agents of link scanners and chat previews that fetch a link before (or instead of) a person. */
export const SCANNERS: Record<string, string> = {
	'chrome (a person)': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
	'outlook safe links': 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)',
	'outlook desktop': 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)',
	'slack unfurl': 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
	'slack image proxy': 'Slack-ImgProxy (+https://api.slack.com/robots)',
	'teams preview': 'Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com',
	googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
	facebook: 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
	whatsapp: 'WhatsApp/2.23.20.0',
	curl: 'curl/8.5.0',
	'no user agent': '',
};
