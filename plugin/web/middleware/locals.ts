import type { RequestHandler } from 'express';
import { parse as parseCookies } from 'cookie';
import { can, type Capability } from '../../access/policy.js';
import { LANGUAGE_COOKIE, LANGUAGES, type Translator } from '../../i18n/index.js';
import { pageNeedsToken } from './sessionless.js';

/** Language and mount path first: even an error before the session can render a translated page. */
export function languageLocals(translator: Translator): RequestHandler {
  return (req, res, next) => {
    const cookies = parseCookies(req.headers.cookie ?? '');
    const language = translator.detect(cookies[LANGUAGE_COOKIE], (...langs) => req.acceptsLanguages(...langs));
    res.locals.lang = language;
    res.locals.t = translator.t(language);
    res.locals.languages = LANGUAGES;
    res.locals.base = req.baseUrl;
    res.locals.actor = null;
    res.locals.csrfToken = '';
    res.locals.can = () => false;
    res.setHeader('Content-Language', language);
    next();
  };
}

/** Who is signed in and the page's CSRF token, once the session and passport have run. */
export function actorLocals(tokenFor: (req: Parameters<RequestHandler>[0]) => string, cookieName: string): RequestHandler {
  return (req, res, next) => {
    const actor = req.user ?? null;
    res.locals.actor = actor;
    res.locals.can = (capability: Capability) => can(actor, capability);
    res.locals.csrfToken = pageNeedsToken(req, cookieName) ? tokenFor(req) : '';
    res.locals.currentPath = req.path;
    next();
  };
}
