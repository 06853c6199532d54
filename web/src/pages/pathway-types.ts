/** The API's answers as the pages use them (see the OpenAPI document at /docs). */
export interface AvailableAction {
  type: string;
  stage: string;
  roles: string[];
  routine: boolean;
  example: Record<string, unknown>;
  excludedActors?: string[];
  /** The organisations whose people may send it, when not exactly the pathway's own. */
  organisations?: string[];
  /** Values of a field the pathway would accept now, where the schema allows more. */
  choices?: Record<string, string[]>;
}

export interface StageView {
  stage: string;
  status: string;
  readyAt?: string;
  startedAt?: string;
  endedAt?: string;
  dueAt?: string;
  overdue: boolean;
  blockers: string[];
  details: Record<string, unknown>;
}

export interface Referral {
  id: string;
  stage: string;
  from: string;
  to: string;
  by: string;
  reason: string;
  consent: { by: string } | { legalBasis: string };
  status: string;
  requestedAt: string;
  dueAt: string;
  escalatedAt?: string;
  answeredBy?: string;
  declineReason?: string;
  endedAt?: string;
}

export interface Transfer {
  to: string;
  programme: string;
  operation: string;
  by: string;
  requestedAt: string;
  status: string;
  acceptedBy?: string;
  newPathwayId?: string;
  failure?: string;
  /** Failed because it could not be prepared by its deadline: an incident is open. */
  stuck?: boolean;
}

export interface Assignment {
  assignee: string;
  org: string;
  by: string;
  at: string;
}

/** Who closed the pathway (or asked to), when and why; `duplicateOf` is the pathway that stays. */
export interface Closing {
  reason: string;
  at: string;
  by: string;
  duplicateOf?: string;
}

export interface PathwayState {
  pathwayId: string;
  programme: string;
  operation: string;
  phase?: string;
  arrivalDate: string;
  person: { sex: string; ageBand: string; isChild: boolean; arrivedWith?: string };
  organisations: string[];
  status: string;
  currentStage: string;
  overdue: boolean;
  openedAt: string;
  /** Its family group, for the pathway's own organisations and oversight (and an emergency reader). */
  familyGroup?: { id: string };
  stages: StageView[];
  notes?: string[];
  availableActions: AvailableAction[];
  closure?: Closing & { approvedBy?: string };
  /** A supervisor asked to close the pathway early: it stays open until another approves or rejects it. */
  closeRequest?: Closing;
  /** The stages referred to other organisations, and to the reader's. */
  referrals?: Referral[];
  transfer?: Transfer;
  assignments?: { pathway?: Assignment; stages: (Assignment & { stage: string })[] };
  /** The pathway this one continues, when a transfer opened it. */
  transferredFrom?: string;
  version: number;
  record?: { givenName: string; familyName: string; patronymic?: string; birthDate: string; birthDateEstimated: boolean; nameHidden?: boolean };
}
