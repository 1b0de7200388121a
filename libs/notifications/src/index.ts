export * from './mailer';
export * from './smtp-mailer';
export * from './mailbox-directory-mailer';
export * from './mailer-from-env';
export * from './mail-outbox';
