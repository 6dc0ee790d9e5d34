import type { Actor } from '../access/actor.js';
import { requireCapability } from '../access/policy.js';
import type { AuditService, AuditSubject } from '../audit/service.js';
import type { CustomerUserRecord } from '../customers/backends/backend.js';
import type { RunInTransaction } from '../db/transaction.js';
import { conflict, LoketError, notFound, validationError } from '../errors.js';
import { FORM_KEY, formDefinitionSchema, localise, type FormDefinition, type FormField } from './definition.js';
import type { FormStore } from './form-store.js';
import { agentGroupsOf, displayName, isAdmin, keyUserCustomers, type Scope } from './scope.js';
import type { ScopeStore } from './scope-store.js';
import { shippedForms, type ShippedOptions } from './shipped.js';
import type { Choice, FormsService, FormSummary, StoredForm } from './types.js';

export interface FormsServiceDeps {
  forms: FormStore;
  scope: Scope;
  scopeStore: ScopeStore;
  users: { findByLogin(login: string): Promise<CustomerUserRecord | null>; findById(id: number): Promise<CustomerUserRecord | null> };
  entitledServices(user: CustomerUserRecord): Promise<string[]>;
  audit: AuditService;
  transaction: RunInTransaction;
}

const summaryOf = (form: StoredForm, language: string | null): FormSummary => ({
  key: form.key,
  version: form.version,
  validity: form.validity,
  title: localise(form.definition.title, language),
  description: localise(form.definition.description, language),
  category: form.definition.category,
  target: form.definition.target,
  needsApproval: form.definition.approval !== null,
});

const contains = (label: string, search: string | undefined) => !search?.trim() || label.toLowerCase().includes(search.trim().toLowerCase());

/** The definition parsed, or a 400 naming the JSON path of the first problem. */
export function parseDefinition(input: unknown): FormDefinition {
  const parsed = formDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw validationError(`${path || 'definition'}: ${issue?.message ?? 'invalid'}`, path || 'definition');
  }
  return parsed.data;
}

export function createFormsService(deps: FormsServiceDeps): FormsService & {
  /** The stored form a run is submitted against, for those who may use it (404 otherwise). */
  usableForm(actor: Actor, key: string): Promise<StoredForm>;
  /** The choices of one field, for the engine's own check of a submitted value. */
  choicesOf(actor: Actor, form: FormDefinition, field: FormField, target: CustomerUserRecord | null, opts: { search?: string | undefined; limit: number }): Promise<Choice[]>;
  /** Installs the shipped forms that are missing (admin edits stay); answers the keys installed. */
  installShipped(subject: AuditSubject, opts: ShippedOptions): Promise<string[]>;
} {
  async function find(key: string): Promise<StoredForm> {
    if (!FORM_KEY.test(key)) throw notFound('No such form.');
    const form = await deps.forms.find(key);
    if (!form) throw notFound('No such form.');
    return form;
  }

  async function usableForm(actor: Actor, key: string): Promise<StoredForm> {
    const form = await find(key);
    deps.scope.requireUse(actor, form.definition, form.validity);
    return form;
  }

  async function choicesOf(actor: Actor, form: FormDefinition, field: FormField, target: CustomerUserRecord | null, opts: { search?: string | undefined; limit: number }): Promise<Choice[]> {
    const roles = deps.scope.rolesFor(actor, form);
    const names = (list: readonly string[]): Choice[] => list.map((n) => ({ value: n, label: n }));
    let choices: Choice[];
    switch (field.source) {
      case 'static':
        choices = (field.options ?? []).map((o) => ({ value: o.value, label: localise(o.label, actor.language) }));
        break;
      case 'groups': {
        if (isAdmin(actor)) {
          choices = names(await deps.scopeStore.validGroups());
          break;
        }
        const groups = new Set<string>(roles.includes('agent') ? agentGroupsOf(actor, form) : []);
        if (roles.includes('key-user')) for (const g of await deps.scopeStore.groupsOfCustomers(keyUserCustomers(actor))) groups.add(g);
        choices = names([...groups].sort());
        break;
      }
      case 'services': {
        let services = await deps.scopeStore.validServices();
        const notEntitled = form.criteria.some((c) => c.check === 'service-not-entitled' && c.field === field.key);
        if (notEntitled && target) {
          const entitled = new Set(await deps.entitledServices(target));
          services = services.filter((s) => !entitled.has(s));
        }
        choices = names(services);
        break;
      }
      case 'customers': {
        let ids: string[] | null;
        if (isAdmin(actor)) ids = null;
        else {
          const set = new Set<string>(roles.includes('key-user') ? keyUserCustomers(actor) : []);
          if (roles.includes('agent')) for (const id of await deps.scopeStore.customersHolding(agentGroupsOf(actor, form))) set.add(id);
          ids = [...set];
        }
        choices = (await deps.scopeStore.customers(ids)).map((c) => ({ value: c.customerId, label: `${c.name} (${c.customerId})` }));
        break;
      }
      case 'customer-users':
        return (await deps.scope.usersInScope(actor, form, opts)).map((u) => ({ value: u.login, label: `${displayName(u)} (${u.login})` }));
      default:
        choices = [];
    }
    return choices.filter((c) => contains(c.label, opts.search)).slice(0, opts.limit);
  }

  /** The target named by the request, looked up in the store and decided by the scope rule. */
  async function targetUser(actor: Actor, form: FormDefinition, login: string | undefined): Promise<CustomerUserRecord | null> {
    if (form.target === 'self') return actor.principal.type === 'customer-user' ? deps.users.findById(actor.principal.id) : null;
    if (form.target !== 'customer-user' || !login) return null;
    const user = await deps.users.findByLogin(login);
    if (!user || !(await deps.scope.userInScope(actor, form, user))) return null;
    return user;
  }

  return {
    usableForm,
    choicesOf,

    async usable(actor, opts = {}) {
      const all = await deps.forms.all();
      return all
        .filter((f) => f.validity === 'valid' && deps.scope.mayUse(actor, f.definition))
        .filter((f) => !opts.category || f.definition.category === opts.category)
        .map((f) => summaryOf(f, actor.language));
    },

    async listAll(actor) {
      requireCapability(actor, 'admin.use');
      return (await deps.forms.all()).map((f) => summaryOf(f, actor.language));
    },

    async get(actor, key) {
      const form = await find(key);
      if (!isAdmin(actor)) deps.scope.requireUse(actor, form.definition, form.validity);
      return form;
    },

    async save(actor, key, input, expectedVersion, subject) {
      requireCapability(actor, 'admin.use');
      if (!FORM_KEY.test(key)) throw validationError('key: lower-case letters, digits and -, 2-64 characters.', 'key');
      const definition = parseDefinition(input);
      if (definition.key !== key) throw validationError(`key: the definition's key ${definition.key} is not ${key}.`, 'key');
      return deps.transaction(async (tx) => {
        const current = await deps.forms.find(key, tx);
        if (current && expectedVersion !== undefined && expectedVersion !== current.version) {
          throw conflict(`Someone saved version ${current.version} meanwhile; reload and try again.`, 'version', 'edit_conflict');
        }
        if (!current && expectedVersion !== undefined && expectedVersion !== 0) throw notFound('No such form.');
        const version = await deps.forms.save(key, definition, current ? current.version : null, actor.login, tx);
        if (version === null) throw conflict('Someone saved this form meanwhile; reload and try again.', 'version', 'edit_conflict');
        await deps.audit.record(subject, { action: 'form.save', objectType: 'form', objectId: key, before: current ? { version: current.version, definition: current.definition } : undefined, after: { version, definition } }, tx);
        const saved = await deps.forms.find(key, tx);
        if (!saved) throw new Error('form vanished inside its transaction');
        return saved;
      });
    },

    async setValidity(actor, key, validity, subject) {
      requireCapability(actor, 'admin.use');
      const form = await find(key);
      return deps.transaction(async (tx) => {
        await deps.forms.setValidity(key, validity, actor.login, tx);
        await deps.audit.record(subject, { action: 'form.validity', objectType: 'form', objectId: key, before: { validity: form.validity }, after: { validity } }, tx);
        return { ...form, validity };
      });
    },

    async versions(actor, key) {
      requireCapability(actor, 'admin.use');
      await find(key);
      return deps.forms.versions(key);
    },

    async targets(actor, key, opts) {
      const { definition } = await usableForm(actor, key);
      if (definition.target === 'customer-user') {
        return (await deps.scope.usersInScope(actor, definition, opts)).map((u) => ({ value: u.login, label: `${displayName(u)} (${u.login})` }));
      }
      if (definition.target === 'customer') {
        return (await deps.scope.customersInScope(actor, definition)).map((c) => ({ value: c.customerId, label: `${c.name} (${c.customerId})` })).filter((c) => contains(c.label, opts.search)).slice(0, opts.limit);
      }
      return [];
    },

    async choices(actor, key, fieldKey, opts) {
      const { definition } = await usableForm(actor, key);
      const field = definition.fields.find((f) => f.key === fieldKey);
      if (field?.type !== 'select') throw notFound(`No select field ${fieldKey}.`);
      const target = await targetUser(actor, definition, opts.target);
      if (opts.target && definition.target === 'customer-user' && !target) throw new LoketError({ status: 403, code: 'out_of_scope', message: 'This target is outside what you may act on with this form.', field: 'target' });
      return choicesOf(actor, definition, field, target, opts);
    },

    /** Shipped forms go in only when their key is free, so an admin's edits are kept. */
    async installShipped(subject, opts) {
      const installed: string[] = [];
      for (const definition of shippedForms(opts)) {
        const done = await deps.transaction(async (tx) => {
          if (await deps.forms.find(definition.key, tx)) return false;
          const version = await deps.forms.save(definition.key, definition, null, subject.login, tx);
          await deps.audit.record(subject, { action: 'form.save', objectType: 'form', objectId: definition.key, after: { version, definition, shipped: true } }, tx);
          return true;
        });
        if (done) installed.push(definition.key);
      }
      return installed;
    },
  };
}

export type FormsEngine = ReturnType<typeof createFormsService>;
