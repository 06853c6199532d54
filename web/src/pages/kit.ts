import { Fragment, h } from 'preact';
import { useState } from 'preact/hooks';
import { api, query } from '../api.js';
import { Org } from '../directory.js';
import { formatDate, formatNumber, label, t } from '../i18n.js';
import { problemMessages } from '../problem-messages.js';
import { href, useAddressPage } from '../router.js';
import { describedBy, Labelled } from '../schema-form.js';
import { ErrorBox, Free, Loading, PageButtons, PageTitle, Table, useLoad, useRequest } from '../ui.js';
import { ExportControls } from './export-controls.js';
import { Confirm } from './step-send.js';

/**
 * What a page fetched when first opened (pages/webhooks.tsx, pages/reports.tsx) takes from the console, handed to it
 * rather than imported: it then shares no module with the main script, so the main script stays
 * whole (one file, compressed once) and the page's own script holds the page only.
 */
export const kit = {
  h, Fragment, useState, api, query, formatDate, formatNumber, label, t, Org, problemMessages, href, useAddressPage, describedBy, Labelled,
  ErrorBox, Free, Loading, PageButtons, PageTitle, Table, useLoad, useRequest, Confirm, ExportControls,
};
export type Kit = typeof kit;
