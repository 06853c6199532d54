import { z } from 'zod';
import { iso } from './common.js';
import { defineAction, RECORDERS, refusal, type Ctx, type StageModule } from './types.js';

function releaseBlockers(ctx: Ctx): string[] {
  const { quarantine, medical, security } = ctx.state;
  const blockers: string[] = [];
  if (!quarantine.minimumPassed) {
    const until = quarantine.minimumEndsAt === undefined ? '' : ` (until ${iso(quarantine.minimumEndsAt)})`;
    blockers.push(`the minimum quarantine of ${ctx.template('quarantine')?.minimum} has not passed${until}`);
  }
  if (medical.inHospital) blockers.push('the person is in hospital: record the discharge first');
  else if (medical.result !== 'cleared') blockers.push('medical screening has not cleared the person');
  if (ctx.status('security') !== 'skipped' && !security.outcome) blockers.push('security screening has no outcome yet');
  return blockers;
}

export const quarantine = {
  stage: 'quarantine',
  startsItself: true,
  done: (ctx) => ctx.state.quarantine.released,
  waitingFor: releaseBlockers,
  details: (s) => ({
    minimumEndsAt: s.quarantine.minimumEndsAt === undefined ? undefined : iso(s.quarantine.minimumEndsAt),
    minimumPassed: s.quarantine.minimumPassed,
    released: s.quarantine.released,
  }),
  actions: [
    defineAction({
      type: 'quarantine.release',
      roles: RECORDERS,
      payload: z.object({}).strict(),
      refuse(ctx) {
        const blockers = releaseBlockers(ctx);
        return blockers.length ? refusal('missing-prerequisite', `Quarantine cannot end yet: ${blockers.join('; ')}.`, 'quarantine-cannot-end', { blockers }) : undefined;
      },
      apply(ctx) {
        ctx.state.quarantine.released = true;
      },
      example: () => ({}),
    }),
  ],
} satisfies StageModule;
