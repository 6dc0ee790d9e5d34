export { faqApi, type FaqApiDeps } from './faq-api.js';
export { faqOperations } from './faq-operations.js';
