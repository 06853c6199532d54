import { z } from 'zod';
import { defineAction, RECORDERS, refusal, type StageModule } from './types.js';

/** Screening and care inside quarantine: a cleared person can still be referred until quarantine ends. */
export const medical = {
  stage: 'medical',
  startsItself: true,
  done: (ctx) => ctx.state.quarantine.released,
  waitingFor(ctx) {
    if (ctx.state.medical.inHospital) return ['referred to hospital: waiting for the discharge'];
    if (ctx.state.medical.result !== 'cleared') return ['screening has not cleared the person yet'];
    return ['cleared: the stage ends with the quarantine'];
  },
  details: (s) => ({ result: s.medical.result, inHospital: s.medical.inHospital, referrals: s.medical.referrals }),
  actions: [
    defineAction({
      type: 'medical.record-screening',
      roles: RECORDERS,
      payload: z
        .object({
          result: z.enum(['cleared', 'treatment-needed']),
          infectionsTested: z.number().int().min(0).max(100).optional(),
          immunisationsUpToDate: z.boolean().optional(),
        })
        .strict(),
      refuse(ctx) {
        if (ctx.state.medical.inHospital) return refusal('missing-prerequisite', 'The person is in hospital: record the discharge first.', 'in-hospital-discharge-first');
        return ctx.state.medical.result === 'cleared' ? refusal('wrong-stage', 'Screening has already cleared the person.', 'screening-already-cleared') : undefined;
      },
      apply(ctx, payload) {
        ctx.state.medical.result = payload.result;
      },
      example: () => ({ result: 'cleared' as const }),
    }),
    defineAction({
      type: 'medical.record-discharge',
      roles: RECORDERS,
      payload: z.object({}).strict(),
      refuse: (ctx) => (ctx.state.medical.inHospital ? undefined : refusal('wrong-stage', 'The person is not in hospital.', 'not-in-hospital')),
      apply(ctx) {
        ctx.state.medical.inHospital = false;
      },
      example: () => ({}),
    }),
    defineAction({
      type: 'medical.refer-to-hospital',
      roles: RECORDERS,
      routine: () => false,
      payload: z.object({ reason: z.enum(['infection', 'malnutrition', 'wound', 'obstetric', 'paediatric', 'other']) }).strict(),
      refuse: (ctx) => (ctx.state.medical.inHospital ? refusal('wrong-stage', 'The person is already in hospital.', 'already-in-hospital') : undefined),
      apply(ctx) {
        ctx.state.medical.inHospital = true;
        ctx.state.medical.referrals += 1;
      },
      example: () => ({ reason: 'infection' as const }),
    }),
  ],
} satisfies StageModule;
