package models

// defaultLegal is the text of each legal page until an admin edits it.
// Every [TO FILL IN: ...] is for the operator: the law requires it.
var defaultLegal = map[string]struct{ title, body string }{
	LegalNotice: {"Legal notice", `**This page is a template: the operator must replace every [TO FILL IN] before opening the site.**

## Publisher
[TO FILL IN: the operator's name or company name, legal form, share capital, registered office address, registration number (RCS/SIREN), VAT number]

Director of publication: [TO FILL IN: name]

Contact: [TO FILL IN: email address and telephone number]

## Host
[TO FILL IN: the hosting provider's name, address and telephone number]

## Reporting illegal content
Every story and comment has a "Report illegal content" link, leading to a notice form. Notices are acknowledged, examined and decided with a statement of reasons; the decisions are counted on the [transparency page](/transparency).

Single point of contact for authorities (DSA art. 11) and for users (art. 12): [TO FILL IN: email address], in French or English.
`},
	LegalTerms: {"Terms of use", `**This page is a template: the operator must review it and replace every [TO FILL IN].**

Doléances publishes the customer-service stories its users write, and their comments.

## What you may publish
Your own experience, told honestly. Not allowed: defamation (false statements of fact that harm a person or a company), insults and hate, other people's personal data, content you have no right to publish, and anything else illegal.

## Personal data in stories
Phone numbers, email addresses, bank and card numbers, social security numbers and customer or contract numbers are masked in what is published. You see your text as you wrote it; you may choose to show a number that is not personal, except bank and card numbers.

## Moderation and notices
Anyone may report illegal content through the notice form. The admins decide to keep, redact a passage, unpublish or delete it, and tell the author why; the author may appeal each decision once.

## Your account
You may export your data (on your account page) and delete your account at any time.

Operator: [TO FILL IN: name, address]. Applicable law: [TO FILL IN: e.g. French law; courts of ...].
`},
	LegalPrivacy: {"Privacy", `**This page is a template: the operator must review it and replace every [TO FILL IN].**

Controller: [TO FILL IN: name, address, contact email; data protection officer if any].

## What is kept
- **Account**: your name, handle, email address (given by the sign-in provider), the providers you linked, your sessions.
- **What you write**: stories (with their history), updates, comments, likes and "me too".
- **Guests' comments**: name, email (never shown) and IP address, for moderation.
- **Notices**: the notifier's name and email, the reasons and decisions.
- **Audit log**: moderation actions and decisions, with the name of who made them.

## How long
- Sessions: 30 days after the last visit.
- Deleted account: the account, its sessions and sign-in links are removed at once; stories and comments are removed, or kept signed by "deleted user" if you chose so.
- Notices and decisions, and the audit log: [TO FILL IN: e.g. 5 years, the limitation period], then deleted.
- Backups: [TO FILL IN: how long backups are kept].

## Your rights
Download everything you wrote and your account's data from your account page (/me/export). For access, correction, deletion or objection, write to [TO FILL IN: email]. You may complain to the CNIL (cnil.fr).

Cookies: one session cookie when you sign in, nothing else, no tracking.
`},
}
