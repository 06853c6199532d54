import { Fragment, h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, query } from '../api.js';
import { Org } from '../directory.js';
import { formatDate, formatNumber, label, language, t } from '../i18n.js';
import { saveFile } from '../save-file.js';
import { problemMessages } from '../problem-messages.js';
import { href, setHashQuery, useAddressPage, useHashQuery } from '../router.js';
import { describedBy, Labelled } from '../schema-form.js';
import { ErrorBox, Field, Free, Loading, PageButtons, PageTitle, Select, Table, useLoad, useRequest } from '../ui.js';
import { consoleConfig } from '../console-config.js';
import { Confirm } from './step-send.js';

/**
 * What a page fetched when first opened (webhooks, the report pages) takes from the console, handed to it
 * rather than imported: it then shares no module with the main script, so the main script stays
 * whole (one file, compressed once) and the page's own script holds the page only.
 */
export const kit = {
  h, Fragment, useEffect, useState, api, query, formatDate, formatNumber, label, t, Org, problemMessages, href, setHashQuery, useAddressPage, useHashQuery, consoleConfig, describedBy, Labelled,
  ErrorBox, Field, Free, Loading, PageButtons, PageTitle, Select, Table, useLoad, useRequest, Confirm, language, saveFile,
};
export type Kit = typeof kit;
