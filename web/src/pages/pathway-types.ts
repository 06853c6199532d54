/** The API's answers as the pages use them (see the OpenAPI document at /docs). */
export interface AvailableAction {
  type: string;
  stage: string;
  roles: string[];
  routine: boolean;
  example: Record<string, unknown>;
  excludedActors?: string[];
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
  stages: StageView[];
  notes?: string[];
  availableActions: AvailableAction[];
  closure?: { reason: string; at: string; by: string };
  version: number;
  record?: { givenName: string; familyName: string; patronymic?: string; birthDate: string; birthDateEstimated: boolean };
}
