// The webhook channel: fan-out, signing and delivery, called by the notification dispatcher.
export { deliverWebhooks } from './deliver.js';
export { fanOutWebhooks } from './fan-out.js';
export { payloadOf, signedHeaders } from './payload.js';
