// Sends the e-mail deliveries that are due, one person's preference and rate limit at a time.
import { claimDue, failingTooLong, markFailed, markHeld, markRetry, markSent, markSkipped } from '../../db/deliveries.js';
import { recipients, recordSend, sentInLastHour, type Recipient } from '../../db/notification-preferences.js';
import type { NotifyDeps } from '../deps.js';
import type { ClaimedDelivery } from '../types.js';
import { mailerFor, messageIdOf, type Mailer } from './mailer.js';
import { mailLanguage, publicUrlOf, renderNotification } from './render.js';

/** What the e-mail channel needs: the dispatcher's, and a mailer of its own in tests (else the process's for SMTP_URL). */
export type EmailDeps = NotifyDeps & { mailer?: Mailer };

/** Deliveries claimed at once, and batches per call: the dispatcher calls again a few seconds later. */
const BATCH = 25;
const BATCHES_PER_CALL = 8;

/** An SMTP answer in the 5xx range (the address refused, the message refused): retrying will not help. */
const refusedForGood = (error: unknown) => {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

/** What becomes of one delivery: skipped, held for the digest, or sent now. */
async function decide(deps: EmailDeps, delivery: ClaimedDelivery, person: Recipient | undefined): Promise<'send' | 'done'> {
  if (!person?.address) {
    await markSkipped(deps.pool, delivery.id, 'no e-mail address known for this person');
    return 'done';
  }
  if (person.email === 'off') {
    await markSkipped(deps.pool, delivery.id, 'e-mail turned off by the person');
    return 'done';
  }
  if (person.email === 'daily') {
    await markHeld(deps.pool, delivery.id);
    return 'done';
  }
  if ((await sentInLastHour(deps.pool, delivery.target)) >= deps.config.email.perHour) {
    deps.logger.info('e-mail held for the digest: the hourly limit for this person is reached', { deliveryId: delivery.id });
    await markHeld(deps.pool, delivery.id);
    return 'done';
  }
  return 'send';
}

async function deliverOne(deps: EmailDeps, mailer: Mailer, delivery: ClaimedDelivery, person: Recipient | undefined): Promise<void> {
  if ((await decide(deps, delivery, person)) === 'done') return;
  const { notification } = delivery;
  const mail = renderNotification(mailLanguage(person!.language), notification, publicUrlOf(deps.config), deps.config.organisations);
  try {
    await mailer.send({ to: person!.address!, ...mail, messageId: messageIdOf(delivery.id, deps.config.email.from) });
  } catch (error) {
    const giveUp = refusedForGood(error) || failingTooLong(delivery, deps.config.notify.giveUpSeconds);
    deps.logger.warn('an e-mail could not be sent', { deliveryId: delivery.id, attempts: delivery.attempts + 1, giveUp, reason: reasonOf(error) });
    await (giveUp ? markFailed(deps.pool, delivery.id, reasonOf(error)) : markRetry(deps.pool, delivery.id, reasonOf(error), deps.config.notify.retryMaxSeconds));
    return;
  }
  // Sent: recorded at once, so a worker stopping now leaves as little as possible to send again.
  await recordSend(deps.pool, delivery.id, delivery.target);
  await markSent(deps.pool, delivery.id);
}

/** Who a target is: a person the sign-in has seen, or an operator's address (`mailto:`, incidents). */
export function recipientOf(target: string, people: Map<string, Recipient>): Recipient | undefined {
  if (!target.startsWith('mailto:')) return people.get(target);
  return { organisation: '', subject: '', address: target.slice('mailto:'.length), language: null, email: 'each' };
}

/** Claims the e-mail deliveries that are due and settles each; without an SMTP server they wait. */
export async function deliverEmails(deps: EmailDeps): Promise<void> {
  const mailer = deps.mailer ?? mailerFor(deps.config.email);
  if (!mailer) return;
  for (let batch = 0; batch < BATCHES_PER_CALL; batch++) {
    const claimed = await claimDue(deps.pool, 'email', BATCH);
    if (!claimed.length) return;
    const people = await recipients(deps.pool, claimed.map((d) => d.target));
    for (const delivery of claimed) await deliverOne(deps, mailer, delivery, recipientOf(delivery.target, people));
  }
}
