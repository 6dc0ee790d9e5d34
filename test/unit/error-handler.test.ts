import { expect } from 'chai';
import ejs from 'ejs';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { viewsDir } from '../../plugin/paths.js';
import { errorHandler } from '../../plugin/web/middleware/errors.js';
import { languageLocals } from '../../plugin/web/middleware/locals.js';
import { createTranslator } from '../../plugin/i18n/index.js';

function appThatThrows(development: boolean) {
  const app = express();
  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
  app.engine('ejs', ejs.renderFile);
  app.use(languageLocals(createTranslator('en')));
  app.get('/boom', () => {
    throw new Error('secret internals at /srv/loket/db.ts:42');
  });
  app.get('/api/v1/boom', () => {
    throw new Error('secret internals at /srv/loket/db.ts:42');
  });
  app.use(errorHandler(pino({ level: 'silent' }), development));
  return app;
}

describe('error handler', () => {
  it('never shows a stack trace or internal message outside development', async () => {
    const app = appThatThrows(false);
    const page = await request(app).get('/boom').expect(500);
    expect(page.text).to.contain('Something went wrong').and.not.contain('secret internals').and.not.contain('db.ts');
    const api = await request(app).get('/api/v1/boom').expect(500);
    expect(api.body).to.deep.equal({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } });
  });

  it('shows the stack to developers in development', async () => {
    const page = await request(appThatThrows(true)).get('/boom').expect(500);
    expect(page.text).to.contain('secret internals');
  });
});
