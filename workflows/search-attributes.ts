import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Search attributes are stored in plaintext by Temporal: only ids and categories, never a personal field.
export const PROGRAMME = defineSearchAttributeKey('PathwayProgramme', SearchAttributeType.KEYWORD);
export const OPERATION = defineSearchAttributeKey('PathwayOperation', SearchAttributeType.KEYWORD);
export const STAGE = defineSearchAttributeKey('PathwayStage', SearchAttributeType.KEYWORD);
export const STATUS = defineSearchAttributeKey('PathwayStatus', SearchAttributeType.KEYWORD);
export const OVERDUE = defineSearchAttributeKey('PathwayOverdue', SearchAttributeType.BOOL);

/** Every custom search attribute the namespace must have. */
export const SEARCH_ATTRIBUTES = [PROGRAMME, OPERATION, STAGE, STATUS, OVERDUE];
export type PathwaySearchAttribute = (typeof SEARCH_ATTRIBUTES)[number];
