import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readPreferences, writePreferences } from '../../db/notification-preferences.js';
import { AppError } from '../../errors.js';
import type { AppDeps } from '../deps.js';
import { withProblems } from '../schemas.js';

export const NotificationPreferences = z
  .object({
    email: z
      .enum(['each', 'daily', 'off'])
      .describe('each: an e-mail for every notification as it happens; daily: one digest a day at the digest hour (UTC); off: no e-mail (the inbox still has them)'),
    language: z.enum(['en', 'ru']).nullable().describe("The language of the e-mails; null: the sign-in's (the token's locale claim), else English"),
  })
  .strict()
  .meta({ id: 'NotificationPreferences' });

const CaughtMail = z.object({ to: z.array(z.string()), subject: z.string(), text: z.string(), date: z.string() });

/** The signed-in person's own notification preferences, and the development mail catcher's messages. */
export const notificationPreferenceRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/v1/me/notification-preferences',
    {
      schema: {
        summary: 'How the caller wants to be told by e-mail, and in which language',
        tags: ['notifications'],
        response: withProblems({ 200: NotificationPreferences }),
      },
    },
    async (request) => readPreferences(deps.pool, request.actor.org, request.actor.id),
  );

  app.put(
    '/v1/me/notification-preferences',
    {
      schema: {
        summary: 'Sets how the caller wants to be told by e-mail: each notification, a daily digest, or none',
        tags: ['notifications'],
        body: NotificationPreferences,
        response: withProblems({ 200: NotificationPreferences }),
      },
    },
    async (request) => writePreferences(deps.pool, request.actor.org, request.actor.id, request.body),
  );

  app.get(
    '/v1/dev/mail',
    {
      schema: {
        summary: "Development only (404 in production): the e-mails `npm start`'s own mail catcher received, newest first",
        tags: ['notifications'],
        response: withProblems({ 200: z.object({ items: z.array(CaughtMail) }) }, 404),
      },
    },
    async () => {
      if (deps.config.mode === 'production' || !deps.mailCatcher) throw new AppError('not-found', 'There is no development mail catcher here.');
      return { items: deps.mailCatcher.messages() };
    },
  );
};
